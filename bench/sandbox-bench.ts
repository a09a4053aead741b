/**
 * Sandbox overhead: runs `true` through `runProcess` unsandboxed and inside bubblewrap (with
 * its resource limits), interleaved, N times each, and prints p50/p95 and what the sandbox
 * adds. Target: sandboxed `true` adds <= 20 ms at p50.
 *   node --import tsx bench/sandbox-bench.ts [N] [--json]   (default N = 100)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectSandbox } from '../src/policy/sandbox/detect-sandbox.js';
import { runProcess } from '../src/policy/sandbox/run-process.js';

/** p50/p95 of one way of running `true`, in milliseconds. */
export interface Timing {
  p50: number;
  p95: number;
}

/** The bench's figures. */
export interface SandboxBenchResult {
  n: number;
  sandbox: string;
  unsandboxed: Timing;
  sandboxed: Timing;
  addedP50Ms: number;
  targetMs: number;
  met: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const timing = (samples: number[]): Timing => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

/** Runs the bench: `n` interleaved rounds after a short warm-up. */
export async function runSandboxBench(n = 100): Promise<SandboxBenchResult> {
  const status = await detectSandbox();
  const project = mkdtempSync(join(tmpdir(), 'ralex-sandbox-bench-'));
  const modes = { unsandboxed: null, sandboxed: { projectDir: project } };
  const samples: Record<keyof typeof modes, number[]> = { unsandboxed: [], sandboxed: [] };
  try {
    for (let round = -5; round < n; round++) {
      for (const mode of ['unsandboxed', 'sandboxed'] as const) {
        const started = performance.now();
        const r = await runProcess({
          command: 'true',
          cwd: project,
          timeoutMs: 10_000,
          sandbox: modes[mode],
        });
        const ms = performance.now() - started;
        if (r.exitCode !== 0) throw new Error(`true failed in mode ${mode}: ${r.output}`);
        if (mode === 'sandboxed' && status.available && !r.sandboxed)
          throw new Error('expected a sandboxed run');
        if (round >= 0) samples[mode].push(ms);
      }
    }
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
  const unsandboxed = timing(samples.unsandboxed);
  const sandboxed = timing(samples.sandboxed);
  const added = sandboxed.p50 - unsandboxed.p50;
  return {
    n,
    sandbox: status.available ? `bubblewrap ${status.version ?? ''}`.trim() : `none (${status.reason})`,
    unsandboxed,
    sandboxed,
    addedP50Ms: added,
    targetMs: 20,
    met: status.available && added <= 20,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100);
  const r = await runSandboxBench(n > 0 ? n : 100);
  if (args.includes('--json')) {
    console.log(JSON.stringify(r));
  } else {
    const f = (t: Timing) => `p50 ${t.p50.toFixed(2)} ms  p95 ${t.p95.toFixed(2)} ms`;
    console.log(`sandbox bench: \`true\` x ${r.n} each, sandbox = ${r.sandbox}`);
    console.log(`  unsandboxed  ${f(r.unsandboxed)}`);
    console.log(`  sandboxed    ${f(r.sandboxed)}`);
    console.log(
      `  added (p50)  ${r.addedP50Ms.toFixed(2)} ms  (target <= ${r.targetMs} ms: ${r.met ? 'met' : 'NOT met'})`,
    );
  }
}
