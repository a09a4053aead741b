/**
 * Transcription latency (issue 16's speed targets): a ~3 s spoken command recorded at 27 dB SNR
 * with room reverb (bench/voice/audio-conditions.ts), turned into a parsed command
 *  - by a warm `ralex serve` (`POST /v1/audio/transcriptions`, `mode=command`: both decoding
 *    passes on warm decoders, the parse stage, the answer over HTTP) — target <= 250 ms median;
 *  - by `ralex transcribe --json` in a fresh process each time (start-up, the vocabulary from its
 *    cache, both passes, the parse) — target <= 600 ms median;
 * beside, in the same interleaved rounds, the floors they cannot go under: one pocketsphinx
 * decode of the same clip by its own command-line tool (`pocketsphinx_continuous`) (general model, one pass, no parse) and
 * `node -e 0`. Every answer is checked (a clip heard as something else is reported, not timed away).
 *
 *   npm run build && node --import tsx bench/transcribe-bench.ts [--runs 15] [--against DIR]
 *
 * `--against DIR`: another build (a folder holding `dist/bundle/main.js`, e.g. a copy of the
 * previous dist with a `node_modules` link and `package.json`) timed in the same interleaved
 * rounds, for a before/after at the same load.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseWav } from '../src/voice/wav.js';
import { createTempGitRepo } from '../test/fixtures/temp-git-repo.js';
import { SAMPLE_FILES } from '../test/voice/sample-project.js';
import { timeCommand } from './bench-process.js';
import { met, ms, printTable, summarize } from './bench-stats.js';
import { BENCH_VOICES, CONDITIONS, recordedWav } from './voice/audio-conditions.js';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT_DIR, 'dist/bundle/main.js');
const TOKEN = 'bench-token-0123456789abcdef0123';
const SPOKEN = 'fix the bug in user auth dot py';
const SERVER_TARGET_MS = 250;
const CLI_TARGET_MS = 600;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, against: { type: 'string' } },
});
const AGAINST_CLI = values.against ? join(values.against, 'dist/bundle/main.js') : undefined;
const runs = Math.max(3, Number(values.runs));

const condition = CONDITIONS.find((c) => c.id === 'snr27')!;
const clip = await recordedWav(SPOKEN, BENCH_VOICES[0]!, condition);
const seconds = parseWav(clip).durationSeconds;
const repo = await createTempGitRepo({
  name: 'transcribe-bench',
  files: Object.fromEntries(SAMPLE_FILES.map((f) => [f, `// ${f}\n`])),
});
const clipFile = join(repo.dir, '..', `transcribe-bench-${process.pid}.wav`);
writeFileSync(clipFile, clip);
const env = { PATH: process.env.PATH, HOME: process.env.HOME, RALEX_TOKEN: TOKEN };

console.log(
  `transcribe bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load ${load()}, ${new Date().toISOString()}`,
);
console.log(
  `clip: "${SPOKEN}", ${BENCH_VOICES[0]!.voice} ${BENCH_VOICES[0]!.speed} wpm, ${condition.label}, ${seconds.toFixed(2)} s`,
);

/** What a right answer parses to. */
function heardRight(command: { intent?: string; files?: string[] } | undefined): boolean {
  return command?.intent === 'fix_bug' && (command.files ?? []).includes('src/user_auth.py');
}

function startServer(cli: string) {
  const child = spawn(process.execPath, [cli, 'serve', '--project', repo.dir, '--port', '0', '--no-qr'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'], // its request log would fill the report
  });
  const address = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const found = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`ralex serve exited (${code}) before printing a URL`)));
  });
  return { child, address };
}
const server = startServer(CLI);
const url = await server.address;
const against = AGAINST_CLI ? startServer(AGAINST_CLI) : undefined;
const againstUrl = await against?.address;

async function overHttp(url: string): Promise<{ ms: number; right: boolean; text: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(clip)], { type: 'audio/wav' }), 'command.wav');
  form.append('model', 'whisper-1');
  form.append('mode', 'command');
  form.append('response_format', 'json');
  const started = performance.now();
  const response = await fetch(`${url}/v1/audio/transcriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: form,
  });
  const body = (await response.json()) as {
    text?: string;
    command?: { intent?: string; files?: string[] };
  };
  const took = performance.now() - started;
  if (response.status !== 200)
    throw new Error(`POST /v1/audio/transcriptions: ${response.status} ${JSON.stringify(body)}`);
  return { ms: took, right: heardRight(body.command), text: body.text ?? '' };
}

async function throughCli(cli: string): Promise<{ ms: number; cpuMs: number; right: boolean; text: string }> {
  const run = await timeCommand(
    process.execPath,
    [cli, 'transcribe', '--json', clipFile, '--project', repo.dir],
    {
      env,
      cpu: true,
    },
  );
  if (run.code !== 0) throw new Error(`ralex transcribe exited ${run.code}: ${run.stdout.slice(-300)}`);
  const answer = JSON.parse(run.stdout) as { text?: string; command?: { intent?: string; files?: string[] } };
  return { ms: run.ms, cpuMs: run.cpuMs, right: heardRight(answer.command), text: answer.text ?? '' };
}

const sampled = {
  server: [] as number[],
  cli: [] as number[],
  cliCpu: [] as number[],
  pocketsphinx: [] as number[],
  node: [] as number[],
  againstServer: [] as number[],
  againstCli: [] as number[],
};
const wrong = new Map<string, number>();
const noteWrong = (who: string, text: string) =>
  wrong.set(`${who}: "${text}"`, (wrong.get(`${who}: "${text}"`) ?? 0) + 1);
try {
  for (let round = -1; round < runs; round++) {
    const warm = round >= 0;
    const http = await overHttp(url);
    if (!http.right) noteWrong('server', http.text);
    const cli = await throughCli(CLI);
    if (!cli.right) noteWrong('ralex transcribe', cli.text);
    const other = againstUrl && AGAINST_CLI ? await overHttp(againstUrl) : undefined;
    if (other && !other.right) noteWrong('server (against)', other.text);
    const otherCli = AGAINST_CLI ? await throughCli(AGAINST_CLI) : undefined;
    if (otherCli && !otherCli.right) noteWrong('ralex transcribe (against)', otherCli.text);
    const sphinx = await timeCommand(
      'pocketsphinx_continuous',
      ['-infile', clipFile, '-logfn', '/dev/null'],
      { env },
    );
    if (sphinx.code !== 0) throw new Error(`pocketsphinx_continuous exited ${sphinx.code}`);
    const node = await timeCommand(process.execPath, ['-e', '0'], { env });
    if (!warm) continue; // round -1 warms the decoders, the vocabulary cache and the OS file cache
    sampled.server.push(http.ms);
    sampled.cli.push(cli.ms);
    sampled.cliCpu.push(cli.cpuMs);
    sampled.pocketsphinx.push(sphinx.ms);
    sampled.node.push(node.ms);
    if (other) sampled.againstServer.push(other.ms);
    if (otherCli) sampled.againstCli.push(otherCli.ms);
  }
} finally {
  server.child.kill('SIGTERM');
  against?.child.kill('SIGTERM');
  await repo.cleanup();
}

const row = (label: string, values: number[], target: number | null) => {
  const s = summarize(values);
  return [
    label,
    String(s.n),
    ms(s.p50),
    ms(s.p90),
    ms(s.max),
    target === null ? '-' : `${target}`,
    target === null ? '-' : met(s.p50 <= target),
  ];
};
printTable(
  `Transcription of a ${seconds.toFixed(1)} s command, ms (${runs} interleaved rounds after a warm-up; load at the end ${load()})`,
  ['what', 'runs', 'p50 ms', 'p90 ms', 'max ms', 'target p50', 'met'],
  [
    row('ralex serve, POST /v1/audio/transcriptions mode=command (warm)', sampled.server, SERVER_TARGET_MS),
    row('ralex transcribe --json (a process per clip)', sampled.cli, CLI_TARGET_MS),
    row('  its CPU (user+sys, with the decoder processes)', sampled.cliCpu, null),
    row('pocketsphinx_continuous -infile (general model, one pass, no parse)', sampled.pocketsphinx, null),
    row('node -e 0', sampled.node, null),
    ...(AGAINST_CLI
      ? [
          row(`ralex serve, the build in ${values.against}`, sampled.againstServer, SERVER_TARGET_MS),
          row(`ralex transcribe, the build in ${values.against}`, sampled.againstCli, CLI_TARGET_MS),
        ]
      : []),
  ],
);
console.log(
  wrong.size
    ? `Heard wrong (not fix_bug on src/user_auth.py): ${[...wrong].map(([k, n]) => `${k} ×${n}`).join('; ')}`
    : 'Every answer parsed to fix_bug on src/user_auth.py.',
);
