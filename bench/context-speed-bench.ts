/**
 * Speed of the context stage on a large repository: cold index build, warm `buildContext`
 * (index watched, as in `ralex serve`), index update after a one-file change (with the folder
 * watcher, and by a full scan), and `ralex context` as a process, alone and with `ralex serve`
 * running. Baselines measured in the same run: `git ls-files`, `git status` (a whole-tree scan),
 * `git grep -l` of one word.
 *
 * The repository is not part of Ralex: pass one (any clone or bare mirror, ~10k files; it is
 * cloned into a temp dir at run time) with RALEX_CONTEXT_BENCH_LARGE=/path/to/repo or as the
 * argument. Without one, a synthetic 10,000-file TypeScript project is generated.
 *   node --import tsx bench/context-speed-bench.ts [/path/to/repo] [--runs N]
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContext, type ContextRequest } from '../src/context/build-context.js';
import { openProjectIndex } from '../src/context/index/project-index.js';
import { gitExec } from '../src/git/git-exec.js';
import { met, ms, printTable, summarize } from './bench-stats.js';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 15;
const source = args[0] ?? process.env.RALEX_CONTEXT_BENCH_LARGE ?? '';
const RALEX_BIN = new URL('../dist/bundle/main.js', import.meta.url).pathname;

const REQUESTS = [
  'explain how the configuration properties are bound',
  'fix the failing test for the connection pool',
  'where is the cache evicted',
  'refactor the error handling in the http client',
  'review the logging setup',
];

async function syntheticRepo(dir: string): Promise<void> {
  const words = [
    'user',
    'auth',
    'cache',
    'client',
    'config',
    'server',
    'router',
    'store',
    'payment',
    'session',
    'logger',
    'parser',
  ];
  for (let i = 0; i < 10_000; i++) {
    const a = words[i % words.length]!;
    const b = words[(i * 7) % words.length]!;
    const path = join(dir, 'src', `${a}`, `mod${Math.floor(i / 100)}`, `${a}-${b}-${i}.ts`);
    // Each word has its own folder: create it for every file (recursive mkdir of an existing one is cheap).
    await mkdir(join(path, '..'), { recursive: true });
    const uses = words[(i * 3) % words.length]!;
    const body = [
      `import { ${uses}Helper${(i * 13) % 10_000} } from '../../${uses}/mod0/x';`,
      `/** The ${a} ${b} part number ${i}. */`,
      `export class ${cap(a)}${cap(b)}${i} {`,
      `  handle${cap(b)}(input: string): string {`,
      `    return ${uses}Helper${(i * 13) % 10_000}(input) + '${a}';`,
      '  }',
      '}',
      `export function ${a}Helper${i}(x: string) { return x.trim(); }`,
    ];
    await writeFile(path, `${body.join('\n')}\n`);
  }
  await gitExec(dir, ['init', '-q', '-b', 'main']);
  await gitExec(dir, ['add', '-A']);
  await gitExec(dir, ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-q', '-m', 'synthetic'], {});
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function time(cmd: string, argv: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(cmd, argv, { cwd, maxBuffer: 1 << 30 }, (error) =>
      error && (error as { code?: number }).code !== 1 ? reject(error) : resolve(performance.now() - t0),
    ),
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ralex-ctxspeed-'));
  const state = join(dir, '.git', 'ralex-bench-state');
  try {
    if (source) await gitExec(tmpdir(), ['clone', '-q', source, dir]);
    else await syntheticRepo(dir);
    const files = (await gitExec(dir, ['ls-files'])).split('\n').filter(Boolean).length;
    process.stdout.write(
      `repository: ${source || 'synthetic TypeScript'} (${files} files); load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );

    const rss0 = process.memoryUsage().rss;
    let index = openProjectIndex(dir, { stateDir: state });
    let t0 = performance.now();
    const cold = await index.update();
    const coldMs = performance.now() - t0;
    index.close();

    // Warm, as the server runs it: the index open and watched.
    index = openProjectIndex(dir, { stateDir: state, watch: true });
    await index.update();
    await new Promise((r) => setTimeout(r, 1500));
    await index.update();
    const src = { root: dir, index, canRead: () => true };
    const req = (request: string): ContextRequest => ({
      request,
      intent: 'explain',
      files: [],
      candidates: [],
      budget: 12_000,
      session: { commands: [], files: [] },
    });
    await buildContext(req(REQUESTS[0]!), src);
    const rssWarm = process.memoryUsage().rss;
    const warm: number[] = [];
    const steps = new Map<string, number[]>();
    for (let i = 0; i < RUNS; i++) {
      t0 = performance.now();
      const pkg = await buildContext(req(REQUESTS[i % REQUESTS.length]!), src);
      warm.push(performance.now() - t0);
      for (const [k, v] of Object.entries(pkg.stats?.timings ?? {}))
        steps.set(k, [...(steps.get(k) ?? []), v]);
    }
    const rssAfter = process.memoryUsage().rss;

    const tracked = (
      await gitExec(dir, ['ls-files', '*.ts', '*.java', '*.py', '*.go', '*.rs', '*.rb', '*.js'])
    )
      .split('\n')
      .filter(Boolean);
    const target = join(dir, tracked[Math.floor(tracked.length / 2)] ?? tracked[0]!);
    const watched: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await appendFile(target, `\n// bench edit ${i}\n`);
      await new Promise((r) => setTimeout(r, 150));
      t0 = performance.now();
      const u = await index.update();
      watched.push(performance.now() - t0);
      if (u.updated !== 1) process.stdout.write(`  (update ${i} read ${u.updated} files)\n`);
    }
    index.close();
    const scanIndex = openProjectIndex(dir, { stateDir: state });
    await scanIndex.update();
    const scanned: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 8); i++) {
      await appendFile(target, `\n// bench scan edit ${i}\n`);
      await new Promise((r) => setTimeout(r, 150));
      t0 = performance.now();
      await scanIndex.update();
      scanned.push(performance.now() - t0);
    }
    scanIndex.close();

    const base = {
      lsFiles: [] as number[],
      status: [] as number[],
      grep: [] as number[],
      cli: [] as number[],
    };
    for (let i = 0; i < 5; i++) {
      base.lsFiles.push(await time('git', ['ls-files'], dir));
      base.status.push(await time('git', ['status', '--porcelain'], dir));
      base.grep.push(await time('git', ['grep', '-l', 'cache'], dir));
      base.cli.push(
        await time(process.execPath, [RALEX_BIN, 'context', '--json', REQUESTS[i % REQUESTS.length]!], dir),
      );
    }

    // The same command with `ralex serve` running for the project: the thin client asks the
    // server, whose index is its own (built once at its first request, then watched).
    const served: number[] = [];
    const server = spawn(process.execPath, [RALEX_BIN, 'serve', '--port', '0', '--no-qr', '--project', dir], {
      stdio: 'ignore',
    });
    try {
      const socket = join(dir, '.ralex', 'state', 'run.sock');
      for (let i = 0; i < 300 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(socket)) throw new Error('ralex serve made no command socket');
      await time(process.execPath, [RALEX_BIN, 'context', '--json', REQUESTS[0]!], dir); // the server's first build
      for (let i = 0; i < 5; i++)
        served.push(
          await time(process.execPath, [RALEX_BIN, 'context', '--json', REQUESTS[i % REQUESTS.length]!], dir),
        );
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }

    const w = summarize(warm);
    const u = summarize(watched);
    const s = summarize(scanned);
    const p50 = (x: number[]) => ms(summarize(x).p50);
    printTable(
      `Context speed on ${files} files (cold build: ${cold.updated} files read, ${cold.nameOnly} by name only)`,
      ['measure', 'p50 ms', 'p90 ms', 'target', 'met'],
      [
        ['cold index build', ms(coldMs), '-', '<= 10000', met(coldMs <= 10_000)],
        ['warm buildContext (watched index)', ms(w.p50), ms(w.p90), '<= 100', met(w.p50 <= 100)],
        ['update after a one-file change (watcher)', ms(u.p50), ms(u.p90), '<= 50', met(u.p50 <= 50)],
        ['update after a one-file change (full scan)', ms(s.p50), ms(s.p90), '-', '-'],
        ['`ralex context --json` process, warm index', p50(base.cli), '-', '-', '-'],
        ['`ralex context --json` with `ralex serve` running', p50(served), '-', '-', '-'],
        ['baseline: git ls-files', p50(base.lsFiles), '-', '-', '-'],
        ['baseline: git status --porcelain', p50(base.status), '-', '-', '-'],
        ['baseline: git grep -l cache', p50(base.grep), '-', '-', '-'],
      ],
    );
    printTable(
      'Warm buildContext by step (p50 ms)',
      [...steps.keys()],
      [[...steps.values()].map((v) => ms(summarize(v).p50))],
    );
    printTable(
      'Memory (RSS, MB)',
      ['before', 'after cold build + first package', `after ${RUNS} more`],
      [[(rss0 / 1e6).toFixed(0), (rssWarm / 1e6).toFixed(0), (rssAfter / 1e6).toFixed(0)]],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
