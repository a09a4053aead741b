/**
 * The server processes of the proxy bench, each on its own: the scripted model server (the
 * upstream), a bare node:http + undici proxy (the floor for any Node proxy), and Ralex built
 * from dist/ over a project directory. Each prints a JSON line with its URL when ready and
 * exits when its stdin closes.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Service, startService } from './bench-process.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * The floor for any Node proxy: node:http in, undici keep-alive out, body parsed and the model
 * rewritten, reply piped back; no routing, auth, validation or hooks. Prints {"url"}.
 */
const BARE_PROXY = `
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
const agent = new Agent({ keepAliveTimeout: 30000, connections: 128 });
const upstream = process.env.UPSTREAM_URL + '/chat/completions';
createServer(async (req, res) => {
  const chunks = []; for await (const c of req) chunks.push(c);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')); body.model = 'scripted-model';
  const r = await request(upstream, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  res.writeHead(r.statusCode, { 'content-type': r.headers['content-type'] });
  for await (const c of r.body) res.write(c);
  res.end();
}).listen(0, '127.0.0.1', function () { process.stdout.write(JSON.stringify({ url: 'http://127.0.0.1:' + this.address().port }) + '\\n'); });
process.stdin.once('end', () => process.exit(0));
process.stdin.resume();
`;

/**
 * Starts Ralex from dist/ and prints {"url"} (the tiny server script; stdin closing stops it).
 * With RALEX_BENCH_MEMO_MODELS set (`--memo-models`), an experiment: each provider's
 * languageModel(id) is cached, to measure what that fix would save on ralex-auto.
 */
const RALEX_MAIN = `
const dist = process.env.RALEX_BENCH_DIST;
const { createRuntime } = await import(dist + 'runtime.js');
const { createServer } = await import(dist + 'server/create-server.js');
const rt = await createRuntime({ projectDir: process.env.RALEX_BENCH_PROJECT, env: process.env, probeOllama: false, serving: true });
if (process.env.RALEX_BENCH_MEMO_MODELS) for (const p of rt.registry.providers) {
  const make = p.languageModel.bind(p); const cache = new Map();
  p.languageModel = (id) => { if (!cache.has(id)) cache.set(id, make(id)); return cache.get(id); };
}
const app = await createServer(rt, { token: process.env.RALEX_TOKEN });
await app.listen({ host: '127.0.0.1', port: 0 });
await rt.registry.refresh();
process.stdout.write(JSON.stringify({ url: 'http://127.0.0.1:' + app.server.address().port }) + '\\n');
const stop = async () => { await app.close(); rt.close(); process.exit(0); };
process.stdin.once('end', stop);
process.stdin.resume();
`;

/** The three running servers; `stop()` each when done (Ralex first). */
export interface ProxyBenchProcesses {
  upstream: Service<{ url: string }>;
  bare: Service<{ url: string }>;
  ralex: Service<{ url: string }>;
}

/** Starts the upstream, the bare proxy and Ralex (over `project`), each in its own process. */
export async function startProxyBenchProcesses(options: {
  project: string;
  reply: string;
  token: string;
  /** Run Ralex under `node --cpu-prof`, writing the profile here. */
  profDir: string | null;
  /** Experiment: cache provider.languageModel(id) inside Ralex. */
  memoModels: boolean;
}): Promise<ProxyBenchProcesses> {
  const { project, profDir, memoModels } = options;
  const upstream = await startService<{ url: string }>(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/fixtures/scripted-model-server-main.ts',
      '--text',
      options.reply,
      '--stdin-lifeline',
    ],
    { cwd: ROOT_DIR },
  );
  const started = [upstream];
  try {
    const bare = await startService<{ url: string }>(
      process.execPath,
      ['--input-type=module', '-e', BARE_PROXY],
      {
        cwd: ROOT_DIR,
        env: { PATH: process.env.PATH, UPSTREAM_URL: upstream.ready.url },
      },
    );
    started.push(bare);
    const ralex = await startService<{ url: string }>(
      process.execPath,
      [
        ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
        '--input-type=module',
        '-e',
        RALEX_MAIN,
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          OPENAI_BASE_URL: upstream.ready.url,
          OPENAI_API_KEY: 'x',
          RALEX_TOKEN: options.token,
          RALEX_BENCH_PROJECT: project,
          RALEX_BENCH_DIST: pathToFileURL(join(ROOT_DIR, 'dist/')).href,
          ...(memoModels ? { RALEX_BENCH_MEMO_MODELS: '1' } : {}),
        },
      },
    );
    return { upstream, bare, ralex };
  } catch (error) {
    for (const service of started) await service.stop();
    throw error;
  }
}
