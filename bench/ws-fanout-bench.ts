/**
 * `/ws` fan-out: the CPU a server spends to publish a stream of events (`model.delta`, the
 * commonest) to 50 connected WebSocket clients. Ralex (`createRuntime` + `createServer` from
 * dist/; each event appended to SQLite by the bus, then fanned out) against, in the same run, a
 * bare `ws` broadcast (the event built and `JSON.stringify`'d once, the string sent to every
 * client) and the same bare server serialising once per client (what /ws did before). Each also
 * with no client connected, so the fan-out's own cost (50 clients − none) is shown apart from
 * publishing. Rounds interleaved; CPU read from /proc. Target (issue 15): Ralex's fan-out cost
 * close to the bare broadcast's (serialise once per event).
 *
 *   npm run build && node --import tsx bench/ws-fanout-bench.ts [--clients 50] [--events 2000] [--rounds 5] [--before DIR]
 *   (--before: also a Ralex built elsewhere, e.g. /work/main/dist/ or any older build, as a row of its own)
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createTempGitRepo } from '../test/fixtures/temp-git-repo.js';
import { cpuMs, type Service, startService } from './bench-process.js';
import { median, printTable } from './bench-stats.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef0123';
const TEXT = 'the build passed — two tests were added to the user auth module, “nothing else” changed. ';
/** Events published per tick: a model's stream arrives in bursts, not all at once. */
const BURST = 20;

/** Publishes `n` events in bursts of BURST (a turn of the event loop between), resolves when done. */
const PUBLISH_LOOP = `(n, publishOne) => new Promise((resolve) => {
  let i = 0;
  const tick = () => { for (let k = 0; k < ${BURST} && i < n; k++, i++) publishOne(i); i < n ? setImmediate(tick) : resolve(); };
  tick();
})`;

const RALEX_MAIN = `
const dist = process.env.RALEX_BENCH_DIST;
const { createRuntime } = await import(dist + 'runtime.js');
const { createServer } = await import(dist + 'server/create-server.js');
const rt = await createRuntime({ projectDir: process.env.RALEX_BENCH_PROJECT, env: process.env, probeOllama: false });
const app = await createServer(rt, { token: process.env.RALEX_TOKEN, background: false });
const publishLoop = ${PUBLISH_LOOP};
const text = ${JSON.stringify(TEXT)};
app.post('/bench-publish', async (request) => {
  const n = request.body.n;
  await publishLoop(n, (i) => rt.bus.publish({ sessionId: 'ses-bench', commandId: 'cmd-bench' }, { type: 'model.delta', text: text + i }));
  return { published: n };
});
await app.listen({ host: '127.0.0.1', port: 0 });
const port = app.server.address().port;
process.stdout.write(JSON.stringify({ url: 'http://127.0.0.1:' + port, ws: 'ws://127.0.0.1:' + port + '/ws?token=' + process.env.RALEX_TOKEN }) + '\\n');
process.stdin.once('end', async () => { await app.close(); await rt.close(); process.exit(0); });
process.stdin.resume();
`;

/** The bare broadcast: ws, every client in a Set, the event serialised once (or per client with PER_CLIENT). */
const BARE_MAIN = `
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
const perClient = Boolean(process.env.PER_CLIENT);
const publishLoop = ${PUBLISH_LOOP};
const text = ${JSON.stringify(TEXT)};
const clients = new Set();
let id = 0;
const server = createServer(async (req, res) => {
  const chunks = []; for await (const c of req) chunks.push(c);
  const n = JSON.parse(Buffer.concat(chunks).toString()).n;
  await publishLoop(n, (i) => {
    const event = { type: 'model.delta', text: text + i, id: ++id, ts: new Date().toISOString(), sessionId: 'ses-bench', commandId: 'cmd-bench' };
    if (perClient) { for (const c of clients) c.send(JSON.stringify({ type: 'event', event })); return; }
    const frame = JSON.stringify({ type: 'event', event });
    for (const c of clients) c.send(frame);
  });
  res.end(JSON.stringify({ published: n }));
});
const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (socket) => { clients.add(socket); socket.on('close', () => clients.delete(socket)); socket.send('{"type":"replayed","lastId":0}'); });
server.listen(0, '127.0.0.1', function () { const port = this.address().port; process.stdout.write(JSON.stringify({ url: 'http://127.0.0.1:' + port, ws: 'ws://127.0.0.1:' + port + '/ws' }) + '\\n'); });
process.stdin.once('end', () => process.exit(0));
process.stdin.resume();
`;

type Server = Service<{ url: string; ws: string }>;

/** A client that counts the event frames it gets. */
interface Listener {
  socket: WebSocket;
  events: number;
}

async function connect(url: string): Promise<Listener> {
  const listener: Listener = { socket: new WebSocket(url), events: 0 };
  await new Promise<void>((resolve, reject) => {
    listener.socket.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"event"')) listener.events++;
      else if (text.startsWith('{"type":"replayed"')) resolve();
    });
    listener.socket.once('error', reject);
  });
  return listener;
}

/** One round: the server publishes `n` events; resolves its CPU ms once every client has all of them. */
async function round(server: Server, listeners: Listener[], n: number): Promise<number> {
  const start = listeners.map((l) => l.events);
  const before = cpuMs(server.pid);
  const response = await fetch(`${server.ready.url}/bench-publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ n }),
  });
  if (response.status !== 200) throw new Error(`publish: HTTP ${response.status}`);
  await response.arrayBuffer();
  const deadline = Date.now() + 60_000;
  while (listeners.some((l, i) => l.events - (start[i] as number) < n)) {
    if (Date.now() > deadline) throw new Error('clients did not get every event in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const extra = listeners.find((l, i) => l.events - (start[i] as number) > n);
  if (extra) throw new Error('a client got more events than were published');
  return cpuMs(server.pid) - before;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '50' },
      events: { type: 'string', default: '2000' },
      rounds: { type: 'string', default: '5' },
      before: { type: 'string' },
    },
  });
  const clients = Number(values.clients);
  const n = Number(values.events);
  const rounds = Number(values.rounds);
  const repo = await createTempGitRepo({ name: 'ws-fanout-bench', files: { 'README.md': '# bench\n' } });
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  const servers: [string, Server][] = [];
  try {
    servers.push([
      'ralex /ws',
      await startService(process.execPath, ['--input-type=module', '-e', RALEX_MAIN], {
        env: {
          ...env,
          RALEX_TOKEN: TOKEN,
          RALEX_BENCH_PROJECT: repo.dir,
          RALEX_BENCH_DIST: pathToFileURL(join(ROOT_DIR, 'dist/')).href,
        },
      }),
    ]);
    if (values.before)
      servers.push([
        `ralex /ws (${values.before})`,
        await startService(process.execPath, ['--input-type=module', '-e', RALEX_MAIN], {
          env: {
            ...env,
            RALEX_TOKEN: TOKEN,
            RALEX_BENCH_PROJECT: repo.dir,
            RALEX_BENCH_DIST: pathToFileURL(join(values.before, '/')).href,
          },
        }),
      ]);
    const bareArgs = ['--input-type=module', '-e', BARE_MAIN];
    servers.push([
      'bare ws broadcast (serialise once)',
      await startService(process.execPath, bareArgs, { env, cwd: ROOT_DIR }),
    ]);
    servers.push([
      'bare ws, serialise per client',
      await startService(process.execPath, bareArgs, { env: { ...env, PER_CLIENT: '1' }, cwd: ROOT_DIR }),
    ]);
    console.log(
      `ws-fanout-bench: ${n} model.delta events per round, ${rounds} rounds, 0 and ${clients} clients; ${cpus().length} cores, load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')}`,
    );
    const cpu = new Map<string, { none: number[]; many: number[] }>(
      servers.map(([name]) => [name, { none: [], many: [] }]),
    );
    for (const [, server] of servers) await round(server, [], 200); // warm-up
    for (let r = 0; r < rounds; r++)
      for (const [name, server] of servers) cpu.get(name)?.none.push(await round(server, [], n));
    const connected = new Map<string, Listener[]>();
    for (const [name, server] of servers)
      connected.set(name, await Promise.all(Array.from({ length: clients }, () => connect(server.ready.ws))));
    for (const [name, server] of servers) await round(server, connected.get(name) ?? [], 200);
    for (let r = 0; r < rounds; r++)
      for (const [name, server] of servers)
        cpu.get(name)?.many.push(await round(server, connected.get(name) ?? [], n));
    for (const listeners of connected.values()) for (const l of listeners) l.socket.close();

    const us = (msPerRound: number) => ((msPerRound * 1000) / n).toFixed(1);
    const bare = cpu.get('bare ws broadcast (serialise once)') as { none: number[]; many: number[] };
    const bareFanout = median(bare.many) - median(bare.none);
    printTable(
      `*CPU per published event, µs (median of ${rounds} rounds of ${n}; load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')})*`,
      [
        'server',
        'no client',
        `${clients} clients`,
        'fan-out (difference)',
        'fan-out vs bare broadcast',
        `${clients} clients vs bare broadcast`,
      ],
      [...cpu].map(([name, c]) => {
        const fanout = median(c.many) - median(c.none);
        return [
          name,
          us(median(c.none)),
          us(median(c.many)),
          us(fanout),
          `${(fanout / bareFanout).toFixed(2)}×`,
          `${(median(c.many) / median(bare.many)).toFixed(2)}×`,
        ];
      }),
    );
  } finally {
    for (const [, server] of servers) await server.stop();
    await repo.cleanup();
  }
}

await main();
