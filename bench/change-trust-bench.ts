/**
 * What the trust machinery of a change costs, each figure beside its baseline from the same run:
 *   1. the per-repository change lock (take + release, in SQLite, across processes) vs a bare
 *      SQLite write transaction — should be noise next to a change;
 *   2. the write ledger's bracket around one agent command (two work-tree snapshots and a tree
 *      diff, so the user's edits can be told apart) vs the sandboxed command alone, on a
 *      repository of N files;
 *   3. a tool write recorded before and after (hash of the new content, index entry) vs the
 *      bare file write.
 *   node --import tsx bench/change-trust-bench.ts [--files N] [--rounds R]   (default 5000 files, 30 rounds)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWriteLedger } from '../src/engine/attribution/write-ledger.js';
import { createCheckpoint } from '../src/engine/checkpoint/create-checkpoint.js';
import { runProcess } from '../src/policy/sandbox/run-process.js';
import { createChangeStore } from '../src/store/changes.js';
import { openDatabase } from '../src/store/database.js';
import { createRepoLockStore } from '../src/store/repo-lock.js';
import { thisProcess } from '../src/util/proc-stat.js';
import { ms, printTable, summarize } from './bench-stats.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const FILES = arg('--files', 5000);
const ROUNDS = arg('--rounds', 30);

async function time(rounds: number, work: () => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const dir = mkdtempSync(join(tmpdir(), 'ralex-trust-bench-'));
try {
  // 1. The lock.
  const db = openDatabase(join(dir, 'ralex.db'));
  const locks = createRepoLockStore(db);
  db.exec('CREATE TABLE scratch (k TEXT PRIMARY KEY, v TEXT)');
  const put = db.prepare('INSERT INTO scratch VALUES (?, ?)');
  const del = db.prepare('DELETE FROM scratch WHERE k = ?');
  const bare = db.transaction((k: string) => {
    put.run(k, 'x');
  });
  const owner = thisProcess();
  const lockRounds = 2000;
  const lockSamples = await time(lockRounds, () => {
    locks.tryAcquire({ commandId: 'cmd_bench', text: 'bench', owner, now: new Date().toISOString() });
    locks.release('cmd_bench');
  });
  const txSamples = await time(lockRounds, () => {
    bare.immediate('k');
    del.run('k');
  });

  // 2 and 3. A repository of FILES files.
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  for (let i = 0; i < FILES; i++) {
    const sub = join(repo, `src/m${i % 50}`);
    if (i < 50) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', 'commit', '-qm', 'files'], { cwd: repo });
  const changes = createChangeStore(db);
  const checkpoint = await createCheckpoint(repo, { label: 'bench', id: 'bench' });
  changes.start({
    id: 'bench',
    commandId: 'bench',
    sessionId: 's',
    checkpointId: checkpoint.id,
    checkpointCommit: checkpoint.commit,
    beforeTree: checkpoint.tree,
    summary: 'bench',
    now: new Date().toISOString(),
  });
  db.exec("INSERT INTO sessions (id, title, created_at, updated_at) VALUES ('s', 'bench', 'x', 'x')");
  const ledger = await openWriteLedger({
    root: repo,
    changeId: 'bench',
    checkpointTree: checkpoint.tree,
    changes,
    clock: () => new Date(),
  });
  let n = 0;
  const command = () =>
    runProcess({
      command: `echo ${n++} > src/m1/f1.ts`,
      cwd: repo,
      timeoutMs: 10_000,
      sandbox: { projectDir: repo },
    });
  await ledger.around('command', command); // warm the private index
  const plainCommand = await time(ROUNDS, command);
  const bracketed = await time(ROUNDS, () => ledger.around('command', command));
  const file = join(repo, 'src/m2/f2.ts');
  const plainWrite = await time(ROUNDS, () => writeFileSync(file, `export const w = ${n++};\n`));
  const recordedWrite = await time(ROUNDS, async () => {
    const content = `export const w = ${n++};\n`;
    await ledger.recordIntent('src/m2/f2.ts', content);
    writeFileSync(file, content);
    await ledger.recordToolWrites(['src/m2/f2.ts']);
  });
  const attribute = await time(5, () => ledger.attribute());
  await ledger.close();
  db.close();

  const row = (what: string, samples: number[], baseline: number[], base: string) => {
    const s = summarize(samples);
    const b = summarize(baseline);
    return [what, ms(s.p50), ms(s.p99), base, ms(b.p50), `+${ms(s.p50 - b.p50)}`];
  };
  printTable(
    `Change trust costs (load ${loadavg()[0]!.toFixed(2)}), ${FILES}-file repository`,
    ['measure', 'p50 ms', 'p99 ms', 'baseline', 'baseline p50 ms', 'added p50'],
    [
      row('change lock take + release', lockSamples, txSamples, 'SQLite write transaction'),
      row('agent command with the ledger bracket', bracketed, plainCommand, 'the sandboxed command alone'),
      row('tool write, recorded before and after', recordedWrite, plainWrite, 'the bare file write'),
      [
        'attribution at the end of a turn',
        ms(summarize(attribute).p50),
        ms(summarize(attribute).p99),
        '-',
        '-',
        '-',
      ],
    ],
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
