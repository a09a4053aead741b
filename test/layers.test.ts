import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The floors of src/ (docs/architecture.md): the CLI and the server sit on the pipeline, the
// pipeline's stages call down into the parts, and no part imports a stage, the server or the CLI.
// The composition root (src/runtime.ts) may be imported by parts for its types only.
const SRC = resolve(import.meta.dirname, '../src');
const TOP = new Set(['cli', 'server']);
const PIPELINE = 'pipeline';
/** The floor: what a command is, and the store, models, project, git, config and utilities everything stands on. */
const FLOOR = new Set([
  'command',
  'events',
  'models',
  'store',
  'project',
  'git',
  'config',
  'util',
  'errors.ts',
  'version.ts',
]);

/** Shared spoken-language tables that voice's vocabulary reads from the parse stage's folder (to move below both). */

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const pattern = /(import|export)(\s+type)?[^'";]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of text.matchAll(pattern)) {
    const spec = m[3] ?? m[4];
    if (!spec) continue;
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    found.push({
      from: relative(SRC, file),
      to: relative(SRC, target),
      typeOnly: Boolean(m[2]),
    });
  }
  return found;
}

const floorOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : path);

describe('the layers of src/', () => {
  const all = sourceFiles(SRC).flatMap(importsOf);

  it('reads the imports it checks (the scan is not empty)', () => {
    expect(all.length).toBeGreaterThan(500);
    expect(all.some((i) => i.from === 'pipeline/pipeline.ts' && i.to === 'pipeline/execute.ts')).toBe(true);
  });

  it('no part below the pipeline imports a stage, the server or the CLI', () => {
    const upward = all.filter((i) => {
      const from = floorOf(i.from);
      const to = floorOf(i.to);
      if (TOP.has(from) || from === PIPELINE || from === 'runtime.ts') return false;
      return TOP.has(to) || to === PIPELINE;
    });
    expect(upward.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('the pipeline never imports the server or the CLI', () => {
    const upward = all.filter((i) => floorOf(i.from) === PIPELINE && TOP.has(floorOf(i.to)));
    expect(upward.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('the floor never imports the parts above it', () => {
    const upward = all.filter(
      (i) => FLOOR.has(floorOf(i.from)) && !FLOOR.has(floorOf(i.to)) && i.to !== 'runtime.ts',
    );
    expect(upward.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('parts take only types from the composition root', () => {
    const valueImports = all.filter(
      (i) =>
        i.to === 'runtime.ts' &&
        !i.typeOnly &&
        !TOP.has(floorOf(i.from)) &&
        floorOf(i.from) !== PIPELINE &&
        i.from !== 'runtime.ts',
    );
    expect(valueImports.map((i) => i.from)).toEqual([]);
  });
});
