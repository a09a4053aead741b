/**
 * Memory under a soak of direct commands: N commands (`what changed`, `list files`, `status`,
 * `show the readme` in turn) through a real Ralex server (`createRuntime` + `createServer` from
 * dist/, as `ralex serve` builds them, git launcher, Ollama probe and request log included) over a temp git
 * repository, RSS / heap / external / arrayBuffers sampled after a forced GC every N/20
 * commands. Baseline in the same run, soaked at the same time: a bare node:http server that runs
 * `git status --porcelain` and `git diff` per request (Node's own churn of child processes and
 * pipes). Target (issue 15): RSS after warm-up grows <= 10 MiB over 10,000 commands.
 *
 *   npm run build && node --import tsx bench/soak-bench.ts [--commands 1000] [--warmup N] [--concurrency 2] [--before DIR]
 *   (--before: also soak a Ralex built elsewhere, e.g. /work/main/dist/, at the same time)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createTempGitRepo, type TempGitRepo } from '../test/fixtures/temp-git-repo.js';
import { type Service, startService } from './bench-process.js';
import { printTable } from './bench-stats.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef0123';
const COMMANDS = ['what changed', 'list files', 'status', 'show the readme'];
const TARGET_MIB_PER_10K = 10;

/** The memory route both servers answer: process.memoryUsage() after two forced GCs. */
const MEMORY_ROUTE = `async () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage(); }`;

const RALEX_MAIN = `
const dist = process.env.RALEX_BENCH_DIST;
const { createRuntime } = await import(dist + 'runtime.js');
const { createServer } = await import(dist + 'server/create-server.js');
const { createWriteStream } = await import('node:fs');
// As ralex serve does: git forked from the launcher (a build from before it has none).
await import(dist + 'git/git-launcher.js').then((m) => m.startGitLauncher(), () => undefined);
const rt = await createRuntime({ projectDir: process.env.RALEX_BENCH_PROJECT, env: process.env });
const app = await createServer(rt, { token: process.env.RALEX_TOKEN, log: { level: 'info', stream: createWriteStream(process.env.RALEX_BENCH_LOG) } });
app.get('/bench-memory', ${MEMORY_ROUTE});
await app.listen({ host: '127.0.0.1', port: 0 });
void rt.registry.refresh();
process.stdout.write(JSON.stringify({ url: 'http://127.0.0.1:' + app.server.address().port }) + '\\n');
process.stdin.once('end', async () => { await app.close(); await rt.close(); process.exit(0); });
process.stdin.resume();
`;

/** The floor: node:http, one git status and one git diff per command, the same memory route. */
const BARE_MAIN = `
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
const git = (...args) => new Promise((resolve, reject) => execFile('git', args, { cwd: process.env.RALEX_BENCH_PROJECT }, (e, out) => (e ? reject(e) : resolve(out))));
const memory = ${MEMORY_ROUTE};
createServer(async (req, res) => {
  if (req.url === '/bench-memory') return res.end(JSON.stringify(await memory()));
  for await (const _ of req);
  const status = await git('status', '--porcelain'); const diff = await git('diff');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ status: 'succeeded', reply: status + diff }));
}).listen(0, '127.0.0.1', function () { process.stdout.write(JSON.stringify({ url: 'http://127.0.0.1:' + this.address().port }) + '\\n'); });
process.stdin.once('end', () => process.exit(0));
process.stdin.resume();
`;

interface Memory {
  rss: number;
  /** Anonymous resident memory (RssAnon): what the process allocated, without its file-backed pages, which the kernel drops and faults back under memory pressure. */
  anon: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface Curve {
  name: string;
  samples: { after: number; memory: Memory }[];
  failures: number;
}

const MIB = 1024 * 1024;
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function memoryOf(service: Service<{ url: string }>): Promise<Memory> {
  const response = await fetch(`${service.ready.url}/bench-memory`, { headers });
  const memory = (await response.json()) as Omit<Memory, 'anon'>;
  const status = readFileSync(`/proc/${service.pid}/status`, 'utf8');
  return { ...memory, anon: Number(/RssAnon:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024 };
}

/** Runs `total` commands, `concurrency` at a time, sampling memory every `every` commands. */
async function soak(
  name: string,
  service: Service<{ url: string }>,
  path: string,
  options: { total: number; every: number; concurrency: number },
): Promise<Curve> {
  const curve: Curve = { name, samples: [{ after: 0, memory: await memoryOf(service) }], failures: 0 };
  let next = 0;
  let done = 0;
  let sampling: Promise<void> = Promise.resolve();
  const worker = async () => {
    while (next < options.total) {
      const i = next++;
      const text = COMMANDS[i % COMMANDS.length] as string;
      const response = await fetch(`${service.ready.url}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ text, wait: true }),
      });
      const result = (await response.json()) as { status?: string };
      if (response.status !== 200 || result.status !== 'succeeded') curve.failures++;
      done++;
      if (done % options.every === 0) {
        const after = done;
        sampling = sampling.then(async () => {
          curve.samples.push({ after, memory: await memoryOf(service) });
        });
        await sampling;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await sampling;
  return curve;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      commands: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '' },
      concurrency: { type: 'string', default: '2' },
      before: { type: 'string' },
    },
  });
  const total = Number(values.commands);
  const warmup = values.warmup ? Number(values.warmup) : Math.round(total * 0.15);
  const every = Math.max(1, Math.round(total / 20));
  const concurrency = Number(values.concurrency);
  const files: Record<string, string> = { 'README.md': '# soak\n' };
  for (let i = 0; i < 60; i++) files[`src/module-${i}.ts`] = `export const value${i} = ${i};\n`;
  // A repository (and so a database) per server: two servers writing one database would keep
  // emptying each other's page cache (SQLite drops it when another connection writes).
  const repos: TempGitRepo[] = [];
  const newRepo = async () => {
    const repo = await createTempGitRepo({ name: 'soak-bench', files });
    repos.push(repo);
    await repo.write('.ralex/config/preferences.yaml', 'server:\n  commands_per_minute: 1000000000\n');
    await repo.write('src/module-1.ts', 'export const value1 = 2;\n');
    return repo.dir;
  };
  // A start is not what this bench measures: on a loaded machine loading the runtime takes long.
  const READY_MS = 120_000;
  const log = join(mkdtempSync(join(tmpdir(), 'ralex-soak-')), 'requests.log');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  const startRalex = async (dist: string) =>
    startService<{ url: string }>(
      process.execPath,
      ['--expose-gc', '--input-type=module', '-e', RALEX_MAIN],
      {
        env: {
          ...env,
          RALEX_TOKEN: TOKEN,
          RALEX_BENCH_PROJECT: await newRepo(),
          RALEX_BENCH_LOG: log,
          RALEX_BENCH_DIST: pathToFileURL(join(dist, '/')).href,
        },
        timeoutMs: READY_MS,
      },
    );
  const servers: [string, Service<{ url: string }>, string][] = [
    ['ralex (this build)', await startRalex(join(ROOT_DIR, 'dist')), '/api/commands'],
  ];
  if (values.before)
    servers.push([`ralex (${values.before})`, await startRalex(values.before), '/api/commands']);
  servers.push([
    'bare node:http + git status + git diff',
    await startService<{ url: string }>(
      process.execPath,
      ['--expose-gc', '--input-type=module', '-e', BARE_MAIN],
      { env: { ...env, RALEX_BENCH_PROJECT: await newRepo() }, timeoutMs: READY_MS },
    ),
    '/',
  ]);
  const load = loadavg().map((x) => x.toFixed(1));
  console.log(
    `soak-bench: ${total} commands each (${COMMANDS.join(', ')}), concurrency ${concurrency}, warm-up ${warmup}; ${cpus().length} cores, load ${load.join(' / ')}`,
  );
  const t0 = performance.now();
  let curves: Curve[];
  try {
    // Soaked at the same time, so all see the same machine.
    curves = await Promise.all(
      servers.map(([name, service, path]) => soak(name, service, path, { total, every, concurrency })),
    );
  } finally {
    for (const [, service] of servers) await service.stop();
    for (const repo of repos) await repo.cleanup();
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${seconds.toFixed(0)} s; load after ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')}\n`,
  );

  const mb = (x: number) => (x / MIB).toFixed(1);
  printTable(
    '*Memory after N commands, MiB (after a forced GC; anon = RssAnon)*',
    [
      'after',
      ...curves.flatMap((c) => [
        `${c.name}: rss`,
        'anon',
        ...(c.name.startsWith('ralex') ? ['heap used', 'external', 'arrayBuffers'] : []),
      ]),
    ],
    (curves[0] as Curve).samples.map((s, row) => [
      String(s.after),
      ...curves.flatMap((c) => {
        const m = c.samples[row]?.memory;
        if (!m) return c.name.startsWith('ralex') ? ['-', '-', '-', '-', '-'] : ['-', '-'];
        return [
          mb(m.rss),
          mb(m.anon),
          ...(c.name.startsWith('ralex') ? [mb(m.heapUsed), mb(m.external), mb(m.arrayBuffers)] : []),
        ];
      }),
    ]),
  );
  const rows = curves.map((c) => {
    const base = c.samples.find((s) => s.after >= warmup) ?? (c.samples[0] as Curve['samples'][number]);
    const last = c.samples.at(-1) as Curve['samples'][number];
    const n = last.after - base.after;
    const grew = (key: 'rss' | 'anon') => last.memory[key] - base.memory[key];
    const per10k = (key: 'rss' | 'anon') => (n ? (grew(key) / n) * 10_000 : 0) / MIB;
    return [
      c.name,
      String(n),
      `${mb(base.memory.rss)} / ${mb(base.memory.anon)}`,
      `${mb(last.memory.rss)} / ${mb(last.memory.anon)}`,
      `${(grew('rss') / MIB).toFixed(2)} / ${(grew('anon') / MIB).toFixed(2)}`,
      n ? (grew('anon') / n / 1024).toFixed(2) : '-',
      per10k('anon').toFixed(1),
      ((last.memory.heapUsed - base.memory.heapUsed) / MIB).toFixed(2),
      String(c.failures),
      c.name.startsWith('ralex') ? (per10k('anon') <= TARGET_MIB_PER_10K ? 'yes' : 'NO') : '-',
    ];
  });
  printTable(
    `*RSS growth after the warm-up (${warmup} commands); target <= ${TARGET_MIB_PER_10K} MiB per 10,000 commands*`,
    [
      'server',
      'commands',
      'rss at warm-up',
      'rss at end',
      'grew MiB',
      'KiB / command',
      'MiB / 10k (linear)',
      'heap grew MiB',
      'failed',
      'met',
    ],
    rows,
  );
}

await main();
