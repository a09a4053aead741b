/**
 * `ralex serve` start-up: time from spawn to the first successful `GET /health`, and resident
 * memory (VmRSS) 2 s after that, idle. `node dist/bundle/main.js serve --port 0 --no-qr` on a temp
 * git repository, side by side with a bare `node -e` node:http server measured the same way;
 * runs interleaved. The very first start (which creates .ralex/state and the database) is shown
 * on its own row. Targets: ready <= 1 s, idle RSS <= 100 MB.
 *
 *   npm run build && node --import tsx bench/serve-bench.ts [--runs 5]
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createTempGitRepo } from '../test/fixtures/temp-git-repo.js';
import { cpuMs, rssMb, timeCommand } from './bench-process.js';
import { median, met, ms, printTable, summarize } from './bench-stats.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT_DIR, 'dist/bundle/main.js');
const DIST = pathToFileURL(join(ROOT_DIR, 'dist/')).href;
const TOKEN = 'bench-token-0123456789abcdef0123';
const IDLE_MS = 2_000;
const READY_TARGET_MS = 1_000;
const RSS_TARGET_MB = 100;
const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('{"status":"ok"}'))
  .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

/**
 * The phases of a serve start in one process (built code, no CLI layer), then memory after
 * idling: where the start-up time and the resident memory go.
 */
const PHASES = `const p = {}; let t = performance.now(); p['node start to first line'] = t;
const lap = (name) => { const now = performance.now(); p[name] = now - t; t = now; };
const dist = process.env.RALEX_BENCH_DIST;
const { createRuntime } = await import(dist + 'runtime.js'); lap('import runtime');
const { createServer } = await import(dist + 'server/create-server.js'); lap('import create-server (fastify, routes, ai)');
const rt = await createRuntime({ projectDir: process.env.RALEX_BENCH_PROJECT, env: process.env }); lap('createRuntime');
const app = await createServer(rt, { token: process.env.RALEX_TOKEN }); lap('createServer');
await app.listen({ host: '127.0.0.1', port: 0 }); lap('listen');
const r = await fetch('http://127.0.0.1:' + app.server.address().port + '/health'); await r.text(); lap('first GET /health');
await new Promise((resolve) => setTimeout(resolve, ${IDLE_MS}));
const m = process.memoryUsage(); const mb = (x) => x / 1048576;
const mem = { rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
await app.close(); rt.close();
console.log(JSON.stringify({ phases: p, memory: mem }));`;

/** One start: when the URL was printed, when /health first answered 200, RSS after idling. */
interface Start {
  printedMs: number;
  readyMs: number;
  /** CPU time (user+sys) the server used until ready. */
  cpuMs: number;
  rssMb: number;
}

/** Spawns a server, finds its URL on stdout, polls /health until 200, idles, reads VmRSS, stops it. */
async function measureStart(args: string[], env: NodeJS.ProcessEnv): Promise<Start> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const found = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
        if (found) resolve(found);
      });
      child.once('exit', (code) =>
        reject(new Error(`${args.join(' ')} exited (${code}) before printing a URL`)),
      );
    });
    const printedMs = performance.now() - t0;
    for (;;) {
      const response = await fetch(`${url}/health`).catch(() => null);
      if (response?.status === 200) {
        await response.arrayBuffer();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const readyMs = performance.now() - t0;
    const cpuToReady = cpuMs(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return { printedMs, readyMs, cpuMs: cpuToReady, rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }
}

function row(label: string, starts: Start[], withTargets: boolean): string[] {
  const ready = summarize(starts.map((s) => s.readyMs));
  const rss = summarize(starts.map((s) => s.rssMb));
  return [
    label,
    String(ready.n),
    ms(median(starts.map((s) => s.printedMs))),
    ms(ready.p50),
    ms(ready.max),
    ms(median(starts.map((s) => s.cpuMs))),
    rss.p50.toFixed(1),
    withTargets ? met(ready.p50 <= READY_TARGET_MS) : '-',
    withTargets ? met(rss.p50 <= RSS_TARGET_MB) : '-',
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Math.min(20, Math.max(1, Number(values.runs)));
  const repo = await createTempGitRepo({
    name: 'serve-bench',
    files: { 'README.md': '# bench\n', 'src/index.js': 'export const x = 1;\n' },
  });
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, RALEX_TOKEN: TOKEN };
  const serveArgs = [CLI, 'serve', '--project', repo.dir, '--port', '0', '--no-qr'];
  const bareArgs = ['-e', BARE_SERVER];
  try {
    console.log(
      `serve bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}, ${new Date().toISOString()}`,
    );
    console.log(`${runs} runs each, interleaved; RSS read ${IDLE_MS} ms after ready`);
    const first = await measureStart(serveArgs, env);
    const serve: Start[] = [];
    const bare: Start[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(await measureStart(bareArgs, env));
      serve.push(await measureStart(serveArgs, env));
    }
    printTable(
      `Start-up, ms from spawn (ready = first 200 from GET /health; CPU = user+sys until ready, 10 ms ticks); idle RSS, MB (targets: ready <= ${READY_TARGET_MS} ms, RSS <= ${RSS_TARGET_MB} MB)`,
      [
        'server',
        'runs',
        'URL printed p50',
        'ready p50',
        'ready max',
        'CPU to ready p50',
        'idle RSS p50',
        'ready met',
        'RSS met',
      ],
      [
        row('bare node:http (node -e)', bare, false),
        row('ralex serve, first start (creates .ralex/state)', [first], true),
        row('ralex serve', serve, true),
      ],
    );
    await whereTimeGoes(repo.dir, env);
  } finally {
    await repo.cleanup();
  }
}

/** Start-up phases and memory breakdown, each the median of 3 fresh processes. */
async function whereTimeGoes(project: string, env: NodeJS.ProcessEnv): Promise<void> {
  const results: { phases: Record<string, number>; memory: Record<string, number> }[] = [];
  for (let i = 0; i < 3; i++) {
    const run = await timeCommand(process.execPath, ['--input-type=module', '-e', PHASES], {
      env: { ...env, RALEX_BENCH_DIST: DIST, RALEX_BENCH_PROJECT: project },
      cwd: ROOT_DIR,
    });
    if (run.code !== 0) throw new Error(`phases child exited ${run.code}`);
    results.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!));
  }
  const medianOf = (pick: (r: (typeof results)[number]) => Record<string, number>) =>
    Object.keys(pick(results[0]!)).map((k) => [k, ms(median(results.map((r) => pick(r)[k]!)))]);
  printTable(
    'Phases of a serve start in one process, ms (median of 3)',
    ['phase', 'ms'],
    medianOf((r) => r.phases),
  );
  printTable(
    `Memory of that process after ${IDLE_MS} ms idle, MB (process.memoryUsage, median of 3)`,
    ['part', 'MB'],
    medianOf((r) => r.memory),
  );
}

await main();
