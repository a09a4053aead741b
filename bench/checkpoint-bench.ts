/**
 * Checkpoint bench: a 5,000-file repository in a temp dir; create and restore timed over several
 * runs (each after ~50 files changed), side by side with baselines measured in the same run:
 * `git stash push -u` / `git stash apply` (what a user would otherwise do) and `cp -r` of the tree.
 * Run: node --import tsx bench/checkpoint-bench.ts [--files 5000] [--runs 7] [--loose (objects not packed)]
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createCheckpoint } from '../src/engine/checkpoint/create-checkpoint.js';
import { diffSinceCheckpoint } from '../src/engine/checkpoint/diff-since-checkpoint.js';
import { restoreCheckpoint } from '../src/engine/checkpoint/restore-checkpoint.js';

const run = promisify(execFile);
const TARGET_MS = 300;

function argValue(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const fileCount = argValue('--files', 5000);
const runs = argValue('--runs', 7);
const git = (dir: string, ...args: string[]) => run('git', args, { cwd: dir, maxBuffer: 1 << 26 });

function filePath(i: number): string {
  return `pkg${String(i % 50).padStart(2, '0')}/sub${i % 7}/file-${i}.ts`;
}

async function buildRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ralex-ckpt-bench-'));
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', 'Bench');
  await git(dir, 'config', 'user.email', 'bench@ralex.invalid');
  await git(dir, 'config', 'gc.auto', '0'); // no background gc racing the timings
  for (let i = 0; i < fileCount; i++) {
    const path = join(dir, filePath(i));
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, `export const value${i} = ${i};\n${'// filler line\n'.repeat(i % 20)}`);
  }
  await writeFile(join(dir, '.gitignore'), 'node_modules/\n');
  await git(dir, 'add', '-A');
  await git(dir, '-c', 'gc.auto=0', 'commit', '-q', '-m', 'initial');
  if (!process.argv.includes('--loose')) await git(dir, 'repack', '-a', '-d', '-q'); // a real project's objects are packed
  return dir;
}

/** Changes ~50 files: 40 modified, 5 deleted, 5 new in a new folder. */
async function touchFiles(dir: string, round: number, tag: string): Promise<void> {
  for (let k = 0; k < 40; k++) {
    const i = (round * 131 + k * 97 + tag.length * 13) % fileCount;
    await writeFile(join(dir, filePath(i)), `// ${tag} ${round}\nexport const changed${i} = true;\n`);
  }
  for (let k = 0; k < 5; k++) {
    await unlink(join(dir, filePath((round * 53 + k * 1009 + tag.length) % fileCount))).catch(() => {});
  }
  await mkdir(join(dir, `new-${tag}-${round}`), { recursive: true });
  for (let k = 0; k < 5; k++) await writeFile(join(dir, `new-${tag}-${round}`, `n${k}.txt`), `${tag} ${k}\n`);
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = await buildRepo();
  const copyDir = await mkdtemp(join(tmpdir(), 'ralex-ckpt-bench-copy-'));
  const t = { create: [] as number[], restore: [] as number[] };
  const base = { stashPush: [] as number[], stashApply: [] as number[], cp: [] as number[] };
  try {
    // Round 0 warms the page cache and module loading; it is not counted.
    for (let round = 0; round <= runs; round++) {
      await touchFiles(dir, round, 'user'); // the user's own uncommitted work
      const id = `bench-${round}`;
      const create = await time(() => createCheckpoint(dir, { label: `bench ${round}`, id }));
      await touchFiles(dir, round, 'agent'); // what an agent or a shell command changed
      const restore = await time(() => restoreCheckpoint(dir, id));
      const left = await diffSinceCheckpoint(dir, id);
      if (left.files.length > 0) throw new Error(`restore left ${left.files.length} differences`);
      if (round > 0) {
        t.create.push(create);
        t.restore.push(restore);
      }
    }
    // Baselines on the same repository, after the measured runs so their disk writes do not overlap them.
    for (let round = 0; round <= runs; round++) {
      await touchFiles(dir, round, 'stash');
      const push = await time(() => git(dir, 'stash', 'push', '-u', '-q'));
      const apply = await time(() => git(dir, 'stash', 'apply', '-q', '--index'));
      await git(dir, 'stash', 'drop', '-q');
      if (round > 0) {
        base.stashPush.push(push);
        base.stashApply.push(apply);
      }
    }
    for (let round = 0; round < 3; round++) {
      const target = join(copyDir, String(round));
      base.cp.push(await time(() => run('cp', ['-r', dir, target])));
      await rm(target, { recursive: true, force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(copyDir, { recursive: true, force: true });
  }
  const ms = (v: number) => `${v.toFixed(1).padStart(8)} ms`;
  const row = (name: string, value: string, baseName: string, baseValue: number) =>
    `${name.padEnd(20)} ${value.padStart(11)}   ${baseName.padEnd(26)} ${ms(baseValue)}`;
  console.log(`checkpoint bench: ${fileCount} files, p50 of ${runs} runs, ~50 files changed before each`);
  const load = loadavg().map((v) => v.toFixed(1));
  console.log(
    `machine: ${cpus().length} cores, load average ${load.join(' ')} (baselines share the same load)`,
  );
  console.log(`${'ralex'.padEnd(20)} ${''.padStart(11)}   baseline (same run)`);
  console.log(row('createCheckpoint', ms(p50(t.create)), 'git stash push -u', p50(base.stashPush)));
  console.log(row('restoreCheckpoint', ms(p50(t.restore)), 'git stash apply --index', p50(base.stashApply)));
  console.log(row('', '', 'cp -r of tree and .git', p50(base.cp)));
  const ok = p50(t.create) <= TARGET_MS && p50(t.restore) <= TARGET_MS;
  console.log(`target <= ${TARGET_MS} ms each: ${ok ? 'met' : 'NOT met'}`);
  const all = (values: number[]) =>
    `${values.map((v) => v.toFixed(0)).join(' ')} (min ${Math.min(...values).toFixed(0)})`;
  console.log(`all runs (ms): create ${all(t.create)}; restore ${all(t.restore)}`);
}

await main();
