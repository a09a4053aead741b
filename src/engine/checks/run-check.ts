import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckOutcome } from '../../command/command-result.js';
import type { EventBody } from '../../events/events.js';
import { runProcess } from '../../policy/sandbox/run-process.js';
import type { SandboxOptions } from '../../policy/sandbox/sandbox-options.js';
import { stripAnsi } from '../../util/strip-ansi.js';
import { summarizeTests } from './check-summary.js';
import type { CheckSpec } from './detect-checks.js';
import { goJsonText } from './parsers/parse-go-json.js';
import { type ReportFile, readTestReport } from './read-test-report.js';
import { planReport } from './report-request.js';
import type { TestReport } from './test-report.js';

const OUTPUT_TAIL = 4_000;
/** A report file larger than this is not read (a runaway or hostile test could write gigabytes). */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;

/** How a check runs. */
export interface CheckRunOptions {
  root: string;
  timeoutMs: number;
  signal: AbortSignal;
  emit: (body: EventBody) => void;
  /** Network for the check (`checks.network: on`); off by default — loopback inside the sandbox still works. */
  network?: boolean;
  /** The project's sandbox (engine/project-sandbox.ts: home, environment and secrets as preferences say); default: the project alone. */
  sandbox?: SandboxOptions;
}

/** One check run: the outcome every client sees, and the full test report the verdict reads. */
export interface CheckRun {
  outcome: CheckOutcome;
  /** Null when Ralex could not read the runner. */
  report: TestReport | null;
  /** The whole output, ANSI codes stripped (the outcome keeps only its tail). */
  output: string;
}

/**
 * Runs one project check the way the agent's `run_command` runs: in the bubblewrap sandbox
 * (the project writable, the rest read-only), network off unless `network`, resource limits,
 * the whole process tree killed on timeout or cancel. The runner is asked for a
 * machine-readable report written to a fresh private folder outside the project (the only
 * other writable path); its output is read with ANSI codes stripped. Emits
 * `check.started`/`check.finished`, which say whether it was sandboxed and had network.
 */
export async function runTestCheck(check: CheckSpec, options: CheckRunOptions): Promise<CheckRun> {
  options.emit({ type: 'check.started', name: check.name, command: check.command });
  const allowNetwork = options.network === true;
  const dir = await mkdtemp(join(tmpdir(), 'ralex-check-'));
  try {
    const plan = planReport(check.command, dir, await npmTestScript(options.root, check.command));
    const result = await runProcess({
      command: plan.command,
      cwd: options.root,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      env: plan.env,
      sandbox: {
        ...(options.sandbox ?? { projectDir: options.root }),
        allowNetwork,
        writablePaths: [...(options.sandbox?.writablePaths ?? []), dir],
      },
    });
    const raw = stripAnsi(result.output);
    const output = plan.output === 'go-json' ? goJsonText(raw) : raw;
    const file = plan.file ? await readReportFile(plan.file.path, plan.file.format) : null;
    const report = readTestReport({
      output: plan.output === 'go-json' ? raw : output,
      file,
      root: options.root,
    });
    const ok = result.exitCode === 0 && !result.timedOut && !result.cancelled;
    const tail = output.length > OUTPUT_TAIL ? `…${output.slice(-OUTPUT_TAIL)}` : output;
    const outcome: CheckOutcome = {
      name: check.name,
      command: check.command,
      ok,
      exitCode: result.exitCode,
      durationMs: Math.round(result.durationMs),
      timedOut: result.timedOut,
      output: tail,
      sandboxed: result.sandboxed,
      // Outside bubblewrap nothing holds the network back.
      network: allowNetwork || !result.sandboxed,
      tests: report ? summarizeTests(report) : null,
    };
    options.emit({
      type: 'check.finished',
      name: check.name,
      ok,
      exitCode: result.exitCode,
      durationMs: outcome.durationMs,
      output: tail,
      sandboxed: outcome.sandboxed,
      network: outcome.network,
      tests: outcome.tests,
    });
    return { outcome, report, output };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Runs one check and returns its outcome (for "run the tests", which needs no verdict). */
export async function runCheck(check: CheckSpec, options: CheckRunOptions): Promise<CheckOutcome> {
  return (await runTestCheck(check, options)).outcome;
}

/** package.json's `scripts.test` when the check is `npm test` (to ask vitest/jest for a report through it). */
async function npmTestScript(root: string, command: string): Promise<string | undefined> {
  if (!/^npm\s+(?:run\s+)?test$/.test(command.trim())) return undefined;
  try {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      scripts?: { test?: unknown };
    };
    return typeof pkg.scripts?.test === 'string' ? pkg.scripts.test : undefined;
  } catch {
    return undefined;
  }
}

/** The report a runner wrote: a regular file of sane size, else nothing (a symlink planted by a test is not followed). */
async function readReportFile(path: string, format: ReportFile['format']): Promise<ReportFile | null> {
  try {
    const info = await lstat(path);
    if (!info.isFile() || info.size > MAX_REPORT_BYTES) return null;
    return { format, text: await readFile(path, 'utf8') };
  } catch {
    return null;
  }
}
