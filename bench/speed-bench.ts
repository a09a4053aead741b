/**
 * Speed at scale (issue 15), two parts, each beside its baselines in the same run:
 *
 * 1. A direct command, `ralex run "what changed" --json`, with `ralex serve` running for the
 *    project (the thin client over `.ralex/state/run.sock`) and without (RALEX_NO_SERVER=1, in
 *    process), interleaved with `git status && git diff` (the floor of the work) and `node -e 0`
 *    (the floor of any Node process). Targets: with a server <= 3x the git floor; without
 *    <= node -e 0 + 150 ms.
 * 2. The parse stage at 1k / 10k / 50k files (`--large` adds 200k): the spoken-name lookup warm
 *    (the names kept in .ralex/state/file-names.db, the listing stamp holding: what every command
 *    after the first pays, in the server and in a fresh `ralex run`), the first build, and the
 *    old path (list the files with git, build the in-memory matcher, parse: what every one-shot
 *    command paid before), beside `git ls-files`. Target: <= 20 ms warm at 50k.
 *
 *   npm run build && node --import tsx bench/speed-bench.ts [--runs 10] [--large]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createFileMatcher } from '../src/pipeline/parse/file-matcher.js';
import { parseCommand } from '../src/pipeline/parse/parse-command.js';
import { openProjectFileNames } from '../src/pipeline/parse/project-file-names.js';
import { createFileIndex } from '../src/project/file-index.js';
import { createTempGitRepo, runGit } from '../test/fixtures/temp-git-repo.js';
import { timeCommand } from './bench-process.js';
import { met, ms, printTable, summarize } from './bench-stats.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT_DIR, 'dist/bundle/main.js');
const { values } = parseArgs({ options: { runs: { type: 'string' }, large: { type: 'boolean' } } });
const RUNS = Number(values.runs ?? 10);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

process.stdout.write(`speed-bench: ${cpus().length} cores, load ${load()}, Node ${process.version}\n`);
if (!existsSync(CLI)) throw new Error('Build first: npm run build');

// --- 1. direct command with and without a server ---------------------------------------------

const repo = await createTempGitRepo({
  files: { '.gitignore': '.ralex/\n', 'src/user_auth.py': 'x = 1\n', 'README.md': '# demo\n' },
});
await repo.write('src/user_auth.py', 'x = 2\n');
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const serve = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--no-qr', '--project', repo.dir], {
  env,
  stdio: 'ignore',
});
const socket = join(repo.dir, '.ralex/state/run.sock');
const serveStarted = performance.now();
while (!existsSync(socket)) {
  if (performance.now() - serveStarted > 30_000) throw new Error('ralex serve did not open its socket');
  await new Promise((r) => setTimeout(r, 20));
}
const socketReadyMs = performance.now() - serveStarted;

const cases: { name: string; cmd: string; args: string[]; env?: NodeJS.ProcessEnv; ralex?: boolean }[] = [
  { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
  { name: 'git status && git diff', cmd: 'sh', args: ['-c', 'git status >/dev/null && git diff >/dev/null'] },
  {
    name: 'ralex run "what changed" (server running)',
    cmd: process.execPath,
    args: [CLI, 'run', 'what changed', '--json'],
    ralex: true,
  },
  {
    name: 'ralex run "what changed" (no server)',
    cmd: process.execPath,
    args: [CLI, 'run', 'what changed', '--json'],
    env: { ...env, RALEX_NO_SERVER: '1' },
    ralex: true,
  },
];
const samples = new Map(cases.map((c) => [c.name, { wall: [] as number[], cpu: [] as number[] }]));
for (let round = -1; round < RUNS; round++) {
  for (const c of cases) {
    const run = await timeCommand(c.cmd, c.args, { cwd: repo.dir, env: c.env ?? env, cpu: true });
    if (run.code !== 0) throw new Error(`${c.name} exited ${run.code}`);
    if (c.ralex && !run.stdout.includes('"status":"succeeded"'))
      throw new Error(`${c.name}: ${run.stdout.slice(-300)}`);
    if (round < 0) continue; // warm-up
    samples.get(c.name)!.wall.push(run.ms);
    samples.get(c.name)!.cpu.push(run.cpuMs);
  }
}
serve.kill('SIGTERM');
const p50 = (name: string) => summarize(samples.get(name)!.wall).p50;
const gitFloor = p50('git status && git diff');
const nodeFloor = p50('node -e 0');
printTable(
  `*Direct command, ms (${RUNS} interleaved rounds after a warm-up; load ${load()}; targets: with a server <= 3x git, without <= node -e 0 + 150)*`,
  ['command', 'wall p50', 'wall p90', 'CPU p50', 'target', 'met'],
  cases.map((c) => {
    const wall = summarize(samples.get(c.name)!.wall);
    const cpu = summarize(samples.get(c.name)!.cpu);
    const target = c.name.includes('server running')
      ? 3 * gitFloor
      : c.name.includes('no server')
        ? nodeFloor + 150
        : null;
    return [
      c.name,
      ms(wall.p50),
      ms(wall.p90),
      ms(cpu.p50),
      target === null ? '-' : ms(target),
      target === null ? '-' : met(wall.p50 <= target),
    ];
  }),
);
process.stdout.write(
  `\nralex serve: spawn to its command socket listening ${ms(socketReadyMs)} ms (one start)\n`,
);
await repo.cleanup();

// --- 2. parse at scale -----------------------------------------------------------------------

const WORDS = [
  'user',
  'auth',
  'cache',
  'store',
  'view',
  'model',
  'route',
  'util',
  'parser',
  'token',
  'session',
  'config',
  'event',
  'queue',
  'worker',
  'client',
  'server',
  'render',
  'widget',
  'layout',
];
const TEXTS = [
  'show user auth dot py',
  'what changed',
  'explain the cache store worker seven file',
  'fix the failing test in session token dot ts, execute',
];
const sizes = [1_000, 10_000, 50_000, ...(values.large ? [200_000] : [])];
const rows: string[][] = [];
for (const size of sizes) {
  const big = await createTempGitRepo({ files: { '.gitignore': '.ralex/\n' } });
  let n = 0;
  for (let a = 0; n < size; a++) {
    const dir = join(big.dir, 'src', WORDS[a % 20]!, `${WORDS[Math.floor(a / 20) % 20]}${a}`);
    mkdirSync(dir, { recursive: true });
    for (let c = 0; c < 50 && n < size; c++, n++) {
      writeFileSync(join(dir, `${WORDS[c % 20]}_${WORDS[(c * 7) % 20]}${c}${c % 3 ? '.ts' : '.py'}`), '');
    }
  }
  mkdirSync(join(big.dir, 'src/user'), { recursive: true });
  writeFileSync(join(big.dir, 'src/user/user_auth.py'), '');
  await runGit(big.dir, ['add', '-A']);
  await runGit(big.dir, ['commit', '-qm', 'files']);
  const stateDir = join(big.dir, '.ralex', 'state');

  const git = [] as number[];
  for (let i = 0; i < 5; i++) {
    git.push(
      (
        await timeCommand('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
          cwd: big.dir,
        })
      ).ms,
    );
  }

  // What every one-shot command paid before: list with git, build the matcher, parse one command.
  const old = [] as number[];
  for (let i = 0; i < (size > 20_000 ? 3 : 5); i++) {
    const t = performance.now();
    const list = await createFileIndex(big.dir).list();
    parseCommand(TEXTS[i % TEXTS.length]!, { matcher: createFileMatcher(list) });
    old.push(performance.now() - t);
  }

  // The first build of the stored names, then settled (no change for 2 s) as between commands.
  let t = performance.now();
  const names = openProjectFileNames({ root: big.dir, stateDir, files: createFileIndex(big.dir) });
  await names.matcher();
  const firstBuild = performance.now() - t;
  await new Promise((r) => setTimeout(r, 2_100));
  await names.matcher();

  const expected = parseCommand('show user auth dot py', {
    matcher: createFileMatcher(await createFileIndex(big.dir).list()),
  });
  const warm = [] as number[];
  for (let i = 0; i < 30; i++) {
    for (const text of TEXTS) {
      t = performance.now();
      const parsed = parseCommand(text, { matcher: await names.matcher() });
      warm.push(performance.now() - t);
      if (names.last?.listed) throw new Error('the stamp should hold between these commands');
      if (text === TEXTS[0] && JSON.stringify(parsed) !== JSON.stringify(expected))
        throw new Error('stored and in-memory parse differ');
    }
  }
  names.close();

  // A fresh process's view: open the store, check the stamp, parse.
  const fresh = [] as number[];
  for (let i = 0; i < 10; i++) {
    t = performance.now();
    const again = openProjectFileNames({ root: big.dir, stateDir, files: createFileIndex(big.dir) });
    parseCommand(TEXTS[i % TEXTS.length]!, { matcher: await again.matcher() });
    fresh.push(performance.now() - t);
    again.close();
  }

  // One file added: the names are updated by difference.
  writeFileSync(join(big.dir, 'src/user/new_thing.ts'), '');
  t = performance.now();
  const after = openProjectFileNames({ root: big.dir, stateDir, files: createFileIndex(big.dir) });
  const found = (await after.matcher()).exact(['newthing.ts']).map((m) => m.path);
  const oneChange = performance.now() - t;
  after.close();
  if (found[0] !== 'src/user/new_thing.ts') throw new Error('the added file was not found');

  const w = summarize(warm);
  rows.push([
    size.toLocaleString('en'),
    ms(summarize(git).p50),
    ms(summarize(old).p50),
    ms(firstBuild),
    ms(w.p50),
    ms(w.p90),
    ms(summarize(fresh).p50),
    ms(oneChange),
    size === 50_000 ? met(w.p50 <= 20) : '-',
  ]);
  await big.cleanup();
}
printTable(
  `*Parse stage per command, ms (load ${load()}; target <= 20 ms warm at 50k)*`,
  [
    'files',
    'git ls-files p50',
    'before: list + build + parse',
    'first build',
    'warm p50',
    'warm p90',
    'fresh process p50',
    'after one new file',
    'met',
  ],
  rows,
);
