import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const LOADER = fileURLToPath(new URL('./load-bundled-cli.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A stand-in for dist/bundle/full-cli.cjs: CommonJS, strict, requiring a module and importing one
 * the way the build leaves the bundle's import() of packages outside it (`__ralexImport`).
 */
function bundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-bundled-cli-'));
  dirs.push(dir);
  const file = join(dir, 'full-cli.cjs');
  writeFileSync(
    file,
    `'use strict';
const { basename } = require('node:path');
exports.runFullCli = async () => {
  const { hostname } = await __ralexImport('node:os');
  process.stdout.write(JSON.stringify({ name: basename(__filename), host: typeof hostname(), strict: (function () { return this === undefined; })() }));
};
`,
  );
  return file;
}

/** Runs the stand-in through the loader in a fresh process, as `ralex` does. */
function start(file: string): unknown {
  const script = `import(${JSON.stringify(LOADER)}).then((m) => m.loadBundledCli(${JSON.stringify(file)}).runFullCli())`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script]).toString());
}

describe('loadBundledCli', () => {
  it('runs the bundle with its require, imports and strict mode, and writes the code cache once', () => {
    const file = bundle();
    expect(start(file)).toEqual({ name: 'full-cli.cjs', host: 'string', strict: true });
    const cache = `${file}.cache`;
    const written = statSync(cache);
    expect(written.size).toBeGreaterThan(0);

    // A start from the cache leaves it alone, and its imports still work (V8 drops a cached
    // script's own import() callback, the reason for __ralexImport).
    expect(start(file)).toEqual({ name: 'full-cli.cjs', host: 'string', strict: true });
    expect(statSync(cache).mtimeMs).toBe(written.mtimeMs);
  });

  it("gives the bundle's require('ai') and import('@ai-sdk/…') the one copy in ai-sdk.cjs beside it, loaded on first use", () => {
    const file = bundle();
    writeFileSync(
      join(file, '..', 'ai-sdk.cjs'),
      `'use strict';
globalThis.aiLoads = (globalThis.aiLoads ?? 0) + 1;
const shared = { copy: 'the one' };
exports.ai = { shared };
exports.anthropic = { shared };
exports.openaiCompatible = {};
`,
    );
    writeFileSync(
      file,
      `'use strict';
exports.runFullCli = async () => {
  const before = globalThis.aiLoads ?? 0;
  const ai = require('ai');
  const anthropic = await __ralexImport('@ai-sdk/anthropic');
  process.stdout.write(JSON.stringify({ before, loads: globalThis.aiLoads, same: ai.shared === anthropic.shared, copy: ai.shared.copy }));
};
`,
    );
    expect(start(file)).toEqual({ before: 0, loads: 1, same: true, copy: 'the one' });
    expect(statSync(join(file, '..', 'ai-sdk.cjs.cache')).size).toBeGreaterThan(0);
  });

  it('replaces a cache V8 rejects (another build, or garbage) and still runs', () => {
    const file = bundle();
    const cache = `${file}.cache`;
    writeFileSync(cache, 'not a code cache');
    expect(start(file)).toEqual({ name: 'full-cli.cjs', host: 'string', strict: true });
    expect(readFileSync(cache).toString()).not.toBe('not a code cache');
  });
});
