import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A project check Ralex can run: its name and the shell command. */
export interface CheckSpec {
  name: string;
  command: string;
  /** How it was found, e.g. "package.json scripts.test" or "preferences.yaml checks.test_command". */
  source: string;
}

const NPM_PLACEHOLDER = /no test specified/;

/**
 * Finds how this project runs its tests: the configured command first, then package.json's
 * `test` script, pytest, go test, cargo test, or a Makefile `test` target. Null when none is found.
 */
export function detectTestCheck(root: string, configured?: string): CheckSpec | null {
  if (configured?.trim())
    return { name: 'tests', command: configured.trim(), source: 'preferences.yaml checks.test_command' };
  const pkg = readJson(join(root, 'package.json')) as { scripts?: Record<string, string> } | null;
  const testScript = pkg?.scripts?.test;
  if (testScript && !NPM_PLACEHOLDER.test(testScript)) {
    const runner = existsSync(join(root, 'pnpm-lock.yaml'))
      ? 'pnpm'
      : existsSync(join(root, 'yarn.lock'))
        ? 'yarn'
        : 'npm';
    return { name: 'tests', command: `${runner} test`, source: 'package.json scripts.test' };
  }
  if (isPytestProject(root))
    return { name: 'tests', command: 'python3 -m pytest -q', source: 'pytest configuration' };
  if (existsSync(join(root, 'go.mod'))) return { name: 'tests', command: 'go test ./...', source: 'go.mod' };
  if (existsSync(join(root, 'Cargo.toml')))
    return { name: 'tests', command: 'cargo test', source: 'Cargo.toml' };
  const makefile = readText(join(root, 'Makefile'));
  if (makefile && /^test\s*:/m.test(makefile))
    return { name: 'tests', command: 'make test', source: 'Makefile test target' };
  return null;
}

function isPytestProject(root: string): boolean {
  if (existsSync(join(root, 'pytest.ini')) || existsSync(join(root, 'conftest.py'))) return true;
  const pyproject = readText(join(root, 'pyproject.toml'));
  if (pyproject?.includes('[tool.pytest')) return true;
  const setupCfg = readText(join(root, 'setup.cfg'));
  if (setupCfg?.includes('[tool:pytest]')) return true;
  return existsSync(join(root, 'tests')) && (pyproject !== null || existsSync(join(root, 'setup.py')));
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
