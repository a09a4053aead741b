import type { EventBody } from '../../events/events.js';
import type { CheckOutcome } from '../../pipeline/command-result.js';
import { detectSandbox } from '../../policy/sandbox/detect-sandbox.js';
import { runProcess } from '../../policy/sandbox/run-process.js';
import type { CheckSpec } from './detect-checks.js';

const OUTPUT_TAIL = 4_000;

/**
 * Runs one project check (inside the sandbox when bubblewrap works), with a time limit,
 * emitting `check.started`/`check.finished`. Network stays on: test runners often need
 * loopback servers and package caches.
 */
export async function runCheck(
  check: CheckSpec,
  options: { root: string; timeoutMs: number; signal: AbortSignal; emit: (body: EventBody) => void },
): Promise<CheckOutcome> {
  options.emit({ type: 'check.started', name: check.name, command: check.command });
  const sandbox = (await detectSandbox()).available ? { projectDir: options.root, allowNetwork: true } : null;
  const result = await runProcess({
    command: check.command,
    cwd: options.root,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    sandbox,
  });
  const ok = result.exitCode === 0 && !result.timedOut && !result.cancelled;
  const tail = result.output.length > OUTPUT_TAIL ? `…${result.output.slice(-OUTPUT_TAIL)}` : result.output;
  const outcome: CheckOutcome = {
    name: check.name,
    command: check.command,
    ok,
    exitCode: result.exitCode,
    durationMs: Math.round(result.durationMs),
    timedOut: result.timedOut,
    output: tail,
  };
  options.emit({
    type: 'check.finished',
    name: check.name,
    ok,
    exitCode: result.exitCode,
    durationMs: outcome.durationMs,
    output: tail,
  });
  return outcome;
}
