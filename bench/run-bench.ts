/**
 * `ralex run` end to end: wall time from spawn to exit of `ralex run "what changed" --json` and
 * `ralex run "list files" --json` (direct commands, no model) on a temp git repository with one
 * uncommitted change, side by side with `git status --porcelain`, `node -e 0` and
 * `ralex --version` (the CLI with no runtime); runs interleaved after one warm-up each.
 * Then where the time goes, in fresh processes: each heavy module's import time on its own,
 * and the phases of a run (imports, bash parser load, createRuntime, runCommand, close).
 * Target: <= 300 ms wall.
 *
 *   npm run build && node --import tsx bench/run-bench.ts [--runs 10]
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createTempGitRepo } from '../test/fixtures/temp-git-repo.js';
import { timeCommand } from './bench-process.js';
import { median, met, ms, printTable, summarize } from './bench-stats.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT_DIR, 'dist/bundle/main.js');
const DIST = pathToFileURL(join(ROOT_DIR, 'dist/')).href;
const TARGET_MS = 300;

/**
 * Heavy modules, roughly in the order `ralex run` loads them (bare names resolve from the
 * repository). Each is timed alone in a fresh process and as the next import of one sequence
 * (what it adds once the earlier ones are loaded).
 */
const MODULES = [
  'commander',
  'zod',
  'yaml',
  'better-sqlite3',
  'web-tree-sitter',
  '@ai-sdk/openai-compatible',
  '@ai-sdk/anthropic',
  'ai',
  `${DIST}runtime.js`,
  `${DIST}pipeline/pipeline.js`,
  `${DIST}cli/commands/doctor.js`,
  'undici',
  'fastify',
  `${DIST}server/create-server.js`,
];

/** Imports the modules named in argv in order, in one process; prints each import's ms. */
const IMPORT_SEQUENCE = `const out = {};
for (const spec of process.argv.slice(1)) { const t = performance.now(); await import(spec); out[spec] = performance.now() - t; }
console.log(JSON.stringify(out));`;

/** The phases of `ralex run "what changed"` without the CLI layer, timed inside one process. */
const PHASES = `const p = {}; let t = performance.now(); p['node start to first line'] = t;
const dist = process.env.RALEX_BENCH_DIST;
const [{ createRuntime }, { runCommand }, { loadShellParser }] = await Promise.all([
  import(dist + 'runtime.js'), import(dist + 'pipeline/pipeline.js'), import(dist + 'policy/shell/shell-parser.js')]);
const lap = (name) => { const now = performance.now(); p[name] = now - t; t = now; };
lap('import runtime + pipeline');
await loadShellParser(); lap('load bash parser (web-tree-sitter wasm)');
const rt = await createRuntime({ projectDir: process.env.RALEX_BENCH_PROJECT, env: process.env });
lap('createRuntime (rest: git, config, providers, store)');
const r = await runCommand({ text: 'what changed', commandId: rt.ids('cmd'), source: 'cli' }, rt);
if (r.status !== 'succeeded') throw new Error('run failed: ' + r.status);
lap('runCommand("what changed")');
rt.close(); lap('close');
console.log(JSON.stringify(p));`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const runs = Math.min(30, Math.max(1, Number(values.runs)));
  const repo = await createTempGitRepo({
    name: 'run-bench',
    files: {
      'README.md': '# bench\n',
      'src/index.js': 'export const answer = 41;\n',
      'src/util.js': 'export const twice = (x) => 2 * x;\n',
      'test/index.test.js': "import { answer } from '../src/index.js';\n",
    },
  });
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  try {
    await timeCommand(process.execPath, [CLI, 'init', '--project', repo.dir], { env });
    await repo.commitAll('ralex init');
    await repo.write('src/index.js', 'export const answer = 42;\n');
    console.log(
      `run bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}, ${new Date().toISOString()}`,
    );
    const cases: { label: string; command: string; args: string[]; cwd?: string; target: boolean }[] = [
      { label: 'node -e 0', command: process.execPath, args: ['-e', '0'], target: false },
      {
        label: 'git status --porcelain',
        command: 'git',
        args: ['status', '--porcelain'],
        cwd: repo.dir,
        target: false,
      },
      { label: 'ralex --version', command: process.execPath, args: [CLI, '--version'], target: false },
      ...['what changed', 'list files'].map((text) => ({
        label: `ralex run "${text}" --json`,
        command: process.execPath,
        args: [CLI, 'run', text, '--json', '--project', repo.dir],
        target: true,
      })),
    ];
    const times: number[][] = cases.map(() => []);
    const cpu: number[][] = cases.map(() => []);
    for (let round = -1; round < runs; round++) {
      for (const [i, c] of cases.entries()) {
        const run = await timeCommand(c.command, c.args, { env, cwd: c.cwd, cpu: true });
        if (run.code !== 0) throw new Error(`${c.label} exited ${run.code}`);
        if (c.target && !run.stdout.includes('"status":"succeeded"'))
          throw new Error(`${c.label} did not succeed`);
        if (round >= 0) {
          times[i]!.push(run.ms);
          cpu[i]!.push(run.cpuMs);
        }
      }
    }
    printTable(
      `End-to-end wall time, ms, spawn to exit, and CPU time (user+sys, all threads) (${runs} runs each, interleaved; target <= ${TARGET_MS} ms wall)`,
      ['command', 'runs', 'wall p50', 'wall p90', 'wall max', 'CPU p50', 'p50 met', 'p90 met'],
      cases.map((c, i) => {
        const s = summarize(times[i]!);
        return [
          c.label,
          String(s.n),
          ms(s.p50),
          ms(s.p90),
          ms(s.max),
          ms(median(cpu[i]!)),
          c.target ? met(s.p50 <= TARGET_MS) : '-',
          c.target ? met(s.p90 <= TARGET_MS) : '-',
        ];
      }),
    );
    await whereTimeGoes(repo.dir, env);
  } finally {
    await repo.cleanup();
  }
}

/** Module import times and run phases, each the median of 3 fresh processes. */
async function whereTimeGoes(project: string, env: NodeJS.ProcessEnv): Promise<void> {
  const inChild = async (script: string, args: string[] = []) => {
    const run = await timeCommand(process.execPath, ['--input-type=module', '-e', script, ...args], {
      env: { ...env, RALEX_BENCH_DIST: DIST, RALEX_BENCH_PROJECT: project },
      cwd: ROOT_DIR,
    });
    if (run.code !== 0) throw new Error(`bench child exited ${run.code}`);
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  };
  const alone = new Map<string, number[]>(MODULES.map((m) => [m, []]));
  const inSequence = new Map<string, number[]>(MODULES.map((m) => [m, []]));
  for (let i = 0; i < 3; i++) {
    for (const spec of MODULES) alone.get(spec)!.push((await inChild(IMPORT_SEQUENCE, [spec]))[spec]!);
    const seq = await inChild(IMPORT_SEQUENCE, MODULES);
    for (const spec of MODULES) inSequence.get(spec)!.push(seq[spec]!);
  }
  printTable(
    'Import time, ms (median of 3 fresh processes): alone, and added when imported after the modules above it',
    ['module', 'alone', 'added in sequence'],
    MODULES.map((spec) => [
      spec.replace(DIST, 'dist/'),
      ms(median(alone.get(spec)!)),
      ms(median(inSequence.get(spec)!)),
    ]),
  );
  const phases: Record<string, number>[] = [];
  for (let i = 0; i < 3; i++) phases.push(await inChild(PHASES));
  printTable(
    'Phases of a "what changed" run in one process, ms (median of 3)',
    ['phase', 'ms'],
    Object.keys(phases[0]!).map((k) => [k, ms(median(phases.map((p) => p[k]!)))]),
  );
}

await main();
