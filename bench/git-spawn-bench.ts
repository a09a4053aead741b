/**
 * Git spawn bench (issue 15): what one git call costs Ralex, from a process as small as a fresh
 * Node and from one larger than a change run's ~140 MiB (~250 MiB of live heap and buffers), spawned directly (`execFile`) and through the git launcher (src/git/git-launcher.ts).
 * Each case runs in its own process: 60 sequential `git --version` through `gitExec` (dist), then
 * 60 at once; per call: wall time and the time the event loop was busy (the fork happens on it).
 * Baselines in the same run: the same loop from a bare `node -e` (execFile) and from bash.
 *
 *   npm run build && node --import tsx bench/git-spawn-bench.ts [--rounds 3]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { median, printTable } from './bench-stats.js';

const DIST = pathToFileURL(fileURLToPath(new URL('../dist/', import.meta.url))).href;
const N = 60;

/** A case's script: argv = dist URL, big (0/1), launcher (0/1); prints JSON ms per call. */
const SCRIPT = `const [dist, big, useLauncher] = process.argv.slice(1);
const { gitExec } = await import(dist + 'git/git-exec.js');
const launcher = await import(dist + 'git/git-launcher.js');
if (big === '1') { globalThis.keep = []; for (let i = 0; i < 100; i++) keep.push(Buffer.alloc(1 << 20, 1)); keep.push(Array.from({ length: 1e6 }, (_, i) => ({ i, s: 'x' + i }))); }
if (useLauncher === '1') { launcher.startGitLauncher(); while (!launcher.gitLauncherPid()) await new Promise((r) => setTimeout(r, 5)); }
const { eventLoopUtilization } = performance;
const call = () => gitExec(process.cwd(), ['--version']);
for (let i = 0; i < 5; i++) await call();
let e0 = eventLoopUtilization(); let t0 = performance.now();
for (let i = 0; i < ${N}; i++) await call();
const seq = (performance.now() - t0) / ${N}; const seqBusy = eventLoopUtilization(e0).active / ${N};
e0 = eventLoopUtilization(); t0 = performance.now();
await Promise.all(Array.from({ length: ${N} }, call));
const par = (performance.now() - t0) / ${N}; const parBusy = eventLoopUtilization(e0).active / ${N};
console.log(JSON.stringify({ rss: process.memoryUsage().rss / 2 ** 20, seq, seqBusy, par, parBusy }));
process.exit(0);`;

const BARE = `const { execFile } = require('node:child_process'); const run = () => new Promise((r, j) => execFile('git', ['--version'], (e) => (e ? j(e) : r())));
(async () => { for (let i = 0; i < 5; i++) await run(); const t0 = performance.now(); for (let i = 0; i < ${N}; i++) await run(); console.log(JSON.stringify({ seq: (performance.now() - t0) / ${N} })); })();`;

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
  const rounds = Math.max(1, Number(values.rounds) || 3);
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  console.log(
    `git spawn bench: node ${process.version}, load ${load()}, ${N} calls per case, ${rounds} rounds interleaved\n`,
  );
  const cases = [
    { label: 'small process, git spawned directly', args: ['0', '0'] },
    { label: 'small process, through the git launcher', args: ['0', '1'] },
    { label: 'large process (~250 MiB), git spawned directly', args: ['1', '0'] },
    { label: 'large process (~250 MiB), through the git launcher', args: ['1', '1'] },
  ];
  const samples = new Map<
    string,
    { rss: number; seq: number; seqBusy: number; par: number; parBusy: number }[]
  >();
  const baseline = { node: [] as number[], bash: [] as number[] };
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, DIST, ...c.args], {
        env,
        encoding: 'utf8',
      });
      samples.set(c.label, [...(samples.get(c.label) ?? []), JSON.parse(out)]);
    }
    baseline.node.push(
      JSON.parse(execFileSync(process.execPath, ['-e', BARE], { env, encoding: 'utf8' })).seq,
    );
    const t0 = performance.now();
    execFileSync('bash', ['-c', `for i in $(seq ${N}); do git --version >/dev/null; done`], { env });
    baseline.bash.push((performance.now() - t0) / N);
  }
  const f = (x: number) => x.toFixed(2);
  printTable(
    'git --version through gitExec (dist), median over rounds',
    [
      'case',
      'RSS MiB',
      'ms per call, one after another',
      'event loop busy per call',
      'ms per call, 60 at once',
      'busy per call, at once',
    ],
    [
      ...[...samples].map(([label, s]) => [
        label,
        s
          .map((x) => x.rss)
          .reduce((a, b) => Math.max(a, b))
          .toFixed(0),
        f(median(s.map((x) => x.seq))),
        f(median(s.map((x) => x.seqBusy))),
        f(median(s.map((x) => x.par))),
        f(median(s.map((x) => x.parBusy))),
      ]),
      ['baseline: bare node -e, execFile', '-', f(median(baseline.node)), '-', '-', '-'],
      ['baseline: bash loop', '-', f(median(baseline.bash)), '-', '-', '-'],
    ],
  );
  console.log(`load at the end ${load()}`);
}

main();
