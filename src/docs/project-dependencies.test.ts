import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectDependencies } from './project-dependencies.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ralex-manifests-'));
  dirs.push(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

const guardOf = (root: string) => ({ root, canRead: () => true, outside: [] });

describe("the names a project goes by (its own code, never a library's docs)", () => {
  it('reads them from package.json, pyproject.toml (PEP 621 and Poetry) and go.mod', async () => {
    const a = project({
      'package.json': JSON.stringify({ name: '@acme/dates', dependencies: { dayjs: '^1.11.0' } }),
      'pyproject.toml':
        '[build-system]\nrequires = ["flit_core"]\n\n[project]\nname = "itsdangerous"\nversion = "2.3.0.dev"\ndependencies = []\n',
      'go.mod': 'module github.com/acme/dates\n\ngo 1.22\n',
    });
    expect((await projectDependencies(a, guardOf(a))).own).toEqual({
      npm: '@acme/dates',
      python: 'itsdangerous',
      go: 'github.com/acme/dates',
    });
    const b = project({
      'pyproject.toml': '[tool.poetry]\nname = "datefmt"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n',
    });
    expect((await projectDependencies(b, guardOf(b))).own).toEqual({ python: 'datefmt' });
    const c = project({ 'pyproject.toml': '[tool.ruff]\nline-length = 100\n' });
    expect((await projectDependencies(c, guardOf(c))).own).toEqual({});
  });
});
