/**
 * What the sandbox costs a check run: the same small project's test command (`npm test`,
 * node --test, the sample project of the tests) run through `runProcess` unsandboxed, in
 * bubblewrap with the network off (the default for checks), and in bubblewrap with the network
 * on (`checks.network: on`), interleaved, N rounds each after a warm-up; then the whole
 * `runTestCheck` (sandbox, report request, parsing) beside them. Prints p50/p90 and what each
 * adds over the unsandboxed run, with the load average. Target: the sandbox adds <= 50 ms at p50
 * to a check (a test run itself takes hundreds).
 *   node --import tsx bench/check-sandbox-bench.ts [N]   (default N = 15)
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTestCheck } from '../src/engine/checks/run-check.js';
import { detectSandbox } from '../src/policy/sandbox/detect-sandbox.js';
import { runProcess } from '../src/policy/sandbox/run-process.js';
import { sampleProject } from '../test/fixtures/sample-projects.js';
import { met, ms, printTable, signedMs, summarize } from './bench-stats.js';

const TARGET_ADDED_MS = 50;
const MODES = [
  'unsandboxed',
  'sandboxed, network off',
  'sandboxed, network on',
  'runTestCheck (network off)',
] as const;
type Mode = (typeof MODES)[number];

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 15);
  const status = await detectSandbox();
  if (!status.available) throw new Error(`bubblewrap is not available here: ${status.reason}`);
  const project = await realpath(await mkdtemp(join(tmpdir(), 'ralex-check-bench-')));
  for (const [path, content] of Object.entries(sampleProject())) {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), content);
  }
  const samples = Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  const once = async (mode: Mode): Promise<number> => {
    const started = performance.now();
    if (mode === 'runTestCheck (network off)') {
      const r = await runTestCheck(
        { name: 'tests', command: 'npm test', source: 'bench' },
        { root: project, timeoutMs: 60_000, signal: new AbortController().signal, emit: () => {} },
      );
      if (!r.outcome.ok || !r.outcome.sandboxed || r.outcome.tests?.passed !== 3)
        throw new Error(`check failed: ${r.output}`);
    } else {
      const sandbox =
        mode === 'unsandboxed'
          ? null
          : { projectDir: project, allowNetwork: mode === 'sandboxed, network on' };
      const r = await runProcess({ command: 'npm test', cwd: project, timeoutMs: 60_000, sandbox });
      if (r.exitCode !== 0 || r.sandboxed !== (sandbox !== null))
        throw new Error(`${mode} failed: ${r.output}`);
    }
    return performance.now() - started;
  };
  try {
    for (let round = -2; round < n; round++) {
      // Rotate the order each round so drift in the machine's speed spreads over every mode.
      const order = MODES.map((_, i) => MODES[(i + Math.max(0, round)) % MODES.length]!);
      for (const mode of order) {
        const took = await once(mode);
        if (round >= 0) samples[mode].push(took);
      }
    }
  } finally {
    await rm(project, { recursive: true, force: true });
  }
  const base = summarize(samples.unsandboxed);
  const rows = MODES.map((mode) => {
    const s = summarize(samples[mode]);
    return [
      mode,
      String(s.n),
      ms(s.p50),
      ms(s.p90),
      mode === 'unsandboxed' ? '-' : signedMs(s.p50 - base.p50),
    ];
  });
  const added = summarize(samples['sandboxed, network off']).p50 - base.p50;
  process.stdout.write(
    `bubblewrap ${status.version ?? ''}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}, ${n} rounds of \`npm test\` (node --test, 3 tests)\n`,
  );
  printTable('Check run: sandbox cost (ms)', ['how', 'n', 'p50', 'p90', 'added p50'], rows);
  printTable(
    'Target',
    ['target', 'measured', 'met'],
    [
      [
        `sandbox (network off) adds <= ${TARGET_ADDED_MS} ms at p50`,
        `${signedMs(added)} ms`,
        met(added <= TARGET_ADDED_MS),
      ],
    ],
  );
}

await main();
