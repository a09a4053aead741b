import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBaselineCache } from './baseline-cache.js';
import type { CheckRun } from './run-check.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TREE = 'a'.repeat(40);
const key = { tree: TREE, command: 'npm test', network: false };

function baseline(overrides: Partial<CheckRun['outcome']> = {}): CheckRun {
  return {
    outcome: {
      name: 'tests (before)',
      command: 'npm test',
      ok: false,
      exitCode: 1,
      durationMs: 812,
      timedOut: false,
      output: 'not ok 1 - rejects unknown users',
      sandboxed: true,
      network: false,
      tests: {
        runner: 'tap',
        format: 'machine',
        passed: 2,
        failed: 1,
        skipped: 0,
        failing: ['rejects unknown users'],
        errors: [],
      },
      ...overrides,
    },
    report: {
      runner: 'tap',
      format: 'machine',
      tests: { 'rejects unknown users': 'failed', 'hashes passwords': 'passed', 'accepts users': 'passed' },
      files: {},
      totals: { passed: 2, failed: 1, skipped: 0 },
      errors: [],
      failuresNamed: true,
    },
    output: 'TAP version 13\nnot ok 1 - rejects unknown users\n',
  };
}

describe('the baseline cache', () => {
  it('gives back a stored baseline for the same tree, command and network, and nothing for another', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ralex-baselines-'));
    const cache = openBaselineCache(dir);
    expect(await cache.get(key)).toBeNull();
    await cache.put(key, baseline());
    expect(await cache.get(key)).toEqual(baseline());
    // A fresh process (another cache over the same folder) reads it too.
    expect(await openBaselineCache(dir).get(key)).toEqual(baseline());
    expect(await cache.get({ ...key, tree: 'b'.repeat(40) })).toBeNull();
    expect(await cache.get({ ...key, command: 'npm run test:unit' })).toBeNull();
    expect(await cache.get({ ...key, network: true })).toBeNull();
  });

  it('forgets a baseline after a day, and never stores one that timed out or was cut short', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ralex-baselines-'));
    let now = 1_000_000;
    const cache = openBaselineCache(dir, { now: () => now });
    await cache.put(key, baseline());
    now += 23 * 60 * 60_000;
    expect(await cache.get(key)).not.toBeNull();
    now += 2 * 60 * 60_000;
    expect(await cache.get(key)).toBeNull();

    const other = { ...key, tree: 'c'.repeat(40) };
    await cache.put(other, baseline({ timedOut: true, exitCode: null }));
    await cache.put({ ...other, command: 'make test' }, baseline({ exitCode: null }));
    expect(await cache.get(other)).toBeNull();
    expect(await cache.get({ ...other, command: 'make test' })).toBeNull();
  });

  it('reads a damaged or foreign entry as a miss, and keeps a bounded number of entries', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ralex-baselines-'));
    const cache = openBaselineCache(dir);
    await cache.put(key, baseline());
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), '{"version":1,"key":"x"');
    expect(await cache.get(key)).toBeNull();
    writeFileSync(
      join(dir, file!),
      JSON.stringify({ version: 1, key: 'someone else', at: Date.now(), run: baseline() }),
    );
    expect(await cache.get(key)).toBeNull();

    for (let i = 0; i < 40; i++)
      await cache.put({ ...key, tree: i.toString(16).padStart(40, '0') }, baseline());
    expect(readdirSync(dir).filter((n) => n.endsWith('.json')).length).toBeLessThanOrEqual(32);
    expect(await cache.get({ ...key, tree: (39).toString(16).padStart(40, '0') })).not.toBeNull();
  });
});
