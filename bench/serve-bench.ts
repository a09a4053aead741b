/**
 * `ralex serve` start-up: time from spawn to the first successful `GET /health`, and resident
 * memory (VmRSS) 2 s after that, idle. `node dist/cli/main.js serve --port 0 --no-qr` on a temp
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
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTempGitRepo } from '../test/fixtures/temp-git-repo.js';
import { rssMb } from './bench-process.js';
import { met, ms, printTable, summarize } from './bench-stats.js';

const CLI = join(fileURLToPath(new URL('..', import.meta.url)), 'dist/cli/main.js');
const TOKEN = 'bench-token-0123456789abcdef0123';
const IDLE_MS = 2_000;
const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('{"status":"ok"}'))
  .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

/** One start: when the URL was printed, when /health first answered 200, RSS after idling. */
interface Start {
  printedMs: number;
  readyMs: number;
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
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return { printedMs, readyMs, rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }
}

function row(label: string, starts: Start[], rssTarget: number | null): string[] {
  const printed = summarize(starts.map((s) => s.printedMs));
  const ready = summarize(starts.map((s) => s.readyMs));
  const rss = summarize(starts.map((s) => s.rssMb));
  return [
    label,
    String(ready.n),
    ms(printed.p50),
    ms(ready.p50),
    ms(ready.max),
    rss.p50.toFixed(1),
    rssTarget === null ? '-' : met(ready.max <= 1000 && rss.max <= rssTarget),
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
      'Start-up, ms from spawn (ready = first 200 from GET /health); idle RSS in MB (targets: ready <= 1000 ms, RSS <= 100 MB)',
      ['server', 'runs', 'URL printed p50', 'ready p50', 'ready max', 'idle RSS p50 MB', 'targets met'],
      [
        row('bare node:http (node -e)', bare, null),
        row('ralex serve, first start (creates .ralex/state)', [first], 100),
        row('ralex serve', serve, 100),
      ],
    );
  } finally {
    await repo.cleanup();
  }
}

await main();
