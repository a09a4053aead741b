/**
 * Speed of library docs for a command (issue 13): the installed-docs lookup cold (no docs cache,
 * lockfile just changed) on a project with 500 npm packages, the same from the warm cache (in the
 * service, and reopened from disk as a new `ralex context` process would), and Context7 over MCP
 * (a fixture written with the MCP SDK, over HTTP) answering at once, answering slower than the
 * timeout (default 3 s), and the real `@upstash/context7-mcp` offline.
 *
 * The project is real packages, not made-up ones: dayjs 1.11.13 installed from the registry, and
 * the package.json, READMEs and declaration files of Ralex's own node_modules (~370 packages:
 * fastify, zod, commander, ai, …), topped up to 500 with small generated packages, and a
 * package-lock.json listing them all. Baselines in the same run: reading and parsing that
 * lockfile; reading the three libraries' READMEs and types entries raw; reading and parsing the
 * docs cache file; a bare 3 s timer.
 *   node --import tsx bench/docs-bench.ts [--runs N]
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenCounter } from '../src/context/pack/tokenizer.js';
import { type Context7Endpoint, installedContext7, mcpToolClient } from '../src/docs/context7-client.js';
import { openDocsCache } from '../src/docs/docs-cache.js';
import { createDocsService, type DocsRequest, type DocsService } from '../src/docs/lookup-docs.js';
import { startContext7Http } from '../test/fixtures/context7-mcp-server.js';
import { installNpmPackages } from '../test/fixtures/npm-packages.js';
import { met, ms, printTable, summarize } from './bench-stats.js';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 15;
const OWN_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url));
const TARGET_PACKAGES = 500;

const FILES: Record<string, string> = {
  'src/date-helper.ts':
    "import dayjs from 'dayjs';\nimport customParseFormat from 'dayjs/plugin/customParseFormat';\n\ndayjs.extend(customParseFormat);\n\nexport function parseUserDate(text: string) {\n  return dayjs(text, 'DD/MM/YYYY');\n}\n",
  'src/schema.ts':
    "import { z } from 'zod';\n\nexport const Config = z.object({ port: z.number().int(), host: z.string() });\n",
  'src/server.ts':
    "import Fastify from 'fastify';\nimport { Command } from 'commander';\n\nconst app = Fastify();\napp.get('/health', async () => ({ ok: true }));\nnew Command('serve').action(() => app.listen({ port: 3000 }));\n",
};

const REQUESTS: { text: string; intent: string; file: string }[] = [
  { text: 'fix the date parsing bug in the dayjs helper', intent: 'fix_bug', file: 'src/date-helper.ts' },
  { text: 'add a zod schema for the host in schema.ts', intent: 'feature', file: 'src/schema.ts' },
  { text: 'explain the fastify server routes', intent: 'explain', file: 'src/server.ts' },
];

/** A file of a package a docs lookup may read: its manifest, README, declaration files. */
const docsFile = (path: string) =>
  /(^|\/)(package\.json|readme(\.md|\.markdown)?)$/i.test(path) || /\.d\.[cm]?ts$/.test(path);

async function buildProject(dir: string): Promise<{ packages: number; real: number }> {
  await installNpmPackages(dir, { dayjs: '1.11.13' });
  for (const [path, text] of Object.entries(FILES)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await cp(OWN_MODULES, join(dir, 'node_modules'), {
    recursive: true,
    dereference: true,
    force: false,
    filter: async (src) => {
      const rel = src.slice(OWN_MODULES.length + 1);
      if (rel === '' || rel.startsWith('.')) return rel === '';
      if (rel.includes('/node_modules/') || rel.startsWith('dayjs')) return false;
      const s = await stat(src).catch(() => null);
      return s ? s.isDirectory() || docsFile(basename(src)) || docsFile(src) : false;
    },
  });
  const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  let real = 0;
  for (const top of await readdir(join(dir, 'node_modules'))) {
    const pkgs = top.startsWith('@')
      ? (await readdir(join(dir, 'node_modules', top))).map((n) => `${top}/${n}`)
      : top.startsWith('.')
        ? []
        : [top];
    for (const name of pkgs) {
      const pj = await readFile(join(dir, 'node_modules', name, 'package.json'), 'utf8').catch(() => '');
      const version = pj ? (JSON.parse(pj) as { version?: string }).version : undefined;
      if (!version) continue;
      lock.packages[`node_modules/${name}`] = { version };
      real++;
    }
  }
  for (let i = 0; real + i < TARGET_PACKAGES; i++) {
    const name = `bench-pkg-${i}`;
    const pdir = join(dir, 'node_modules', name);
    await mkdir(pdir, { recursive: true });
    await writeFile(
      join(pdir, 'package.json'),
      JSON.stringify({ name, version: `1.${i}.0`, types: 'index.d.ts' }),
    );
    await writeFile(join(pdir, 'README.md'), `# ${name}\n\n${'A helper package. '.repeat(200)}\n`);
    await writeFile(join(pdir, 'index.d.ts'), `export declare function helper${i}(x: string): string;\n`);
    lock.packages[`node_modules/${name}`] = { version: `1.${i}.0` };
  }
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  return { packages: Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/')).length, real };
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const base = await mkdtemp(join(tmpdir(), 'ralex-docs-bench-'));
const root = join(base, 'app');
try {
  const { packages, real } = await buildProject(root);
  const count = await loadTokenCounter();
  let cacheN = 0;
  const service = (
    o: { cacheDir?: string; context7?: Context7Endpoint; timeoutMs?: number } = {},
  ): DocsService =>
    createDocsService({
      root,
      canRead: () => true,
      cache: openDocsCache(o.cacheDir ?? join(base, `cache-${cacheN++}`), { ttlMs: 3_600_000 }),
      installed: true,
      context7: o.context7 ? mcpToolClient(o.context7) : null,
      timeoutMs: o.timeoutMs ?? 3000,
      maxLibraries: 3,
    });
  const request = (i: number): DocsRequest => {
    const r = REQUESTS[i % REQUESTS.length]!;
    return {
      request: r.text,
      intent: r.intent,
      files: [{ path: r.file, weight: 1, named: false }],
      budget: 12_000,
      room: 3000,
      count,
    };
  };
  const timed = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
    const t0 = performance.now();
    const v = await f();
    return [performance.now() - t0, v];
  };
  const lockfile = join(root, 'package-lock.json');
  // Every cold lookup sees a lockfile changed since the last (its parse is memoised by size and mtime).
  let tick = Date.now() / 1000;
  const touchLock = () => {
    tick += 10;
    return utimes(lockfile, tick, tick);
  };

  // Each request once, checked: docs of the installed version found.
  const first: number[] = [];
  for (let i = 0; i < REQUESTS.length; i++) {
    const s = service();
    const [t, r] = await timed(() => s.lookup(request(i)));
    first.push(t);
    await s.close();
    if (r.candidates.length === 0)
      throw new Error(`no docs for "${REQUESTS[i]!.text}": ${r.notes.join(' ')}`);
    process.stdout.write(`  ${REQUESTS[i]!.text}: ${r.candidates.map((c) => c.ref).join(', ')}\n`);
  }

  const cold: number[] = [];
  const lockParse: number[] = [];
  const rawRead: number[] = [];
  for (let i = 0; i < RUNS * REQUESTS.length; i++) {
    await touchLock();
    const s = service();
    cold.push((await timed(() => s.lookup(request(i))))[0]);
    await s.close();
    lockParse.push((await timed(async () => JSON.parse(await readFile(lockfile, 'utf8'))))[0]);
    rawRead.push(
      (
        await timed(async () => {
          for (const p of [
            'dayjs/README.md',
            'dayjs/index.d.ts',
            'zod/README.md',
            'zod/index.d.ts',
            'fastify/README.md',
            'fastify/fastify.d.ts',
          ])
            await readFile(join(root, 'node_modules', p), 'utf8').catch(() => '');
        })
      )[0],
    );
  }

  const warmDir = join(base, 'cache-warm');
  const warmService = service({ cacheDir: warmDir });
  for (let i = 0; i < REQUESTS.length; i++) await warmService.lookup(request(i));
  await warmService.flush();
  const warm: number[] = [];
  const reopened: number[] = [];
  const cacheParse: number[] = [];
  for (let i = 0; i < RUNS * REQUESTS.length * 2; i++) {
    const [t, r] = await timed(() => warmService.lookup(request(i)));
    if (!r.candidates.every((c) => c.reasons.includes('from the docs cache')))
      throw new Error('warm lookup missed the cache');
    warm.push(t);
    const fresh = service({ cacheDir: warmDir });
    reopened.push((await timed(() => fresh.lookup(request(i))))[0]);
    await fresh.close();
    cacheParse.push(
      (
        await timed(async () => JSON.parse(await readFile(join(warmDir, 'documentation_cache.json'), 'utf8')))
      )[0],
    );
  }
  await warmService.close();

  const c7Runs = Math.max(3, Math.ceil(RUNS / 3));
  const fast = await startContext7Http();
  const slow = await startContext7Http({ delayMs: 10_000 });
  const withC7: number[] = [];
  const slowC7: number[] = [];
  const bareTimer: number[] = [];
  const realOffline: number[] = [];
  const real7 = installedContext7({ PATH: process.env.PATH });
  for (let i = 0; i < c7Runs; i++) {
    await touchLock();
    const a = service({ context7: { transport: 'http', url: fast.url } });
    const [t, r] = await timed(() => a.lookup(request(0)));
    if (!r.candidates.some((c) => c.ref.includes('Context7')))
      throw new Error(`no Context7 docs: ${r.notes.join(' ')}`);
    withC7.push(t);
    await a.close();
    await touchLock();
    const b = service({ context7: { transport: 'http', url: slow.url }, timeoutMs: 3000 });
    const [ts, rs] = await timed(() => b.lookup(request(0)));
    if (!rs.notes.join(' ').includes('no answer within 3000 ms'))
      throw new Error(`slow Context7 not cut: ${rs.notes.join(' ')}`);
    slowC7.push(ts);
    await b.close();
    bareTimer.push((await timed(() => new Promise((r) => setTimeout(r, 3000))))[0]);
    if (real7?.transport === 'stdio') {
      await touchLock();
      const endpoint: Context7Endpoint = {
        ...real7,
        env: { ...real7.env, CONTEXT7_API_URL: `http://127.0.0.1:${await closedPort()}/api` },
      };
      const c = service({ context7: endpoint, timeoutMs: 3000 });
      const [tr, rr] = await timed(() => c.lookup(request(0)));
      if (!rr.candidates.length) throw new Error('the real Context7 offline left no docs');
      realOffline.push(tr);
      await c.close();
    }
  }
  await fast.close();
  await slow.close();

  process.stdout.write(
    `\ndocs bench: ${packages} npm packages (${real} real: dayjs and Ralex's own node_modules; the rest generated), ${RUNS} runs per request × ${REQUESTS.length} requests; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}\n`,
  );
  const row = (name: string, samples: number[], target = '', ok?: boolean) => {
    const s = summarize(samples);
    return [name, String(s.n), ms(s.p50), ms(s.p90), ms(s.max), target, ok === undefined ? '' : met(ok)];
  };
  const c = summarize(cold);
  const w = summarize(warm);
  const wr = summarize(reopened);
  const sc = summarize(slowC7);
  printTable(
    'Installed docs, ms',
    ['lookup', 'n', 'p50', 'p90', 'max', 'target', 'met'],
    [
      row('first lookups of the process (imports, JIT)', first),
      row('cold: no cache, lockfile changed', cold, 'p50 <= 300', c.p50 <= 300),
      row('  baseline: read + parse package-lock.json', lockParse),
      row('  baseline: read 3 READMEs + types entries', rawRead),
      row('warm: from the cache, same service', warm, 'p50 <= 20', w.p50 <= 20),
      row('warm: cache reopened from disk', reopened, 'p50 <= 20', wr.p50 <= 20),
      row('  baseline: read + parse the cache file', cacheParse),
    ],
  );
  printTable(
    'Context7 over MCP, ms (one library, fresh cache)',
    ['lookup', 'n', 'p50', 'p90', 'max', 'target', 'met'],
    [
      row('fixture over HTTP, answering at once', withC7),
      row('fixture over HTTP, 10 s late (timeout 3 s)', slowC7, 'p50 <= 3000 + 50', sc.p50 <= 3050),
      row('  baseline: a bare 3 s timer', bareTimer),
      ...(realOffline.length
        ? [
            row(
              'real @upstash/context7-mcp offline (stdio)',
              realOffline,
              'p50 <= 3000 + 50',
              summarize(realOffline).p50 <= 3050,
            ),
          ]
        : []),
    ],
  );
} finally {
  await rm(base, { recursive: true, force: true });
}
