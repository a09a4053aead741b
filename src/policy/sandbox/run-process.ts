import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { RalexError } from '../../errors.js';
import { generateId } from '../../util/ids.js';
import { trackRunGroup } from './active-runs.js';
import { buildBubblewrapArgs } from './bubblewrap.js';
import { createCappedOutput } from './capped-output.js';
import { buildChildEnv } from './child-env.js';
import { detectSandbox } from './detect-sandbox.js';
import { limitedShellArgv } from './limited-shell.js';
import { procTicksNow, RUN_MARKER_VAR, type RunIdentity } from './process-tree.js';
import { buildSandboxEnv } from './sandbox-env.js';
import { effectiveLimits, resolveSandboxOptions, type SandboxOptions } from './sandbox-options.js';
import { terminateRun } from './terminate-run.js';

/** Output kept per stream (and for the interleaved output) unless the caller says otherwise. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1_000_000;

/** How one shell command is run. */
export interface RunProcessOptions {
  /** A shell command, run with `bash -c`. */
  command: string;
  /** The working directory; must exist. */
  cwd: string;
  /** Wall-clock limit; the whole process tree is killed when it passes. */
  timeoutMs: number;
  /** Cancels the run; the whole process tree is killed. */
  signal?: AbortSignal;
  /**
   * Extra environment variables. Without sandbox options the command inherits Ralex's environment
   * minus credential-like names; with them, only an allow-list (`sandbox-env.ts`).
   */
  env?: Record<string, string>;
  /** Sandbox and resource limits; null or absent runs unsandboxed without limits. */
  sandbox?: SandboxOptions | null;
  /** Bytes kept per stream (head and tail); default 1 MB. */
  maxOutputBytes?: number;
  /** Live output, decoded as UTF-8, in arrival order. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

/** What a finished command left behind. */
export const ProcessResultSchema = z.object({
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  /** stdout and stderr interleaved in arrival order; truncated (head and tail kept) with a marker. */
  output: z.string(),
  timedOut: z.boolean(),
  cancelled: z.boolean(),
  durationMs: z.number(),
  /** True only when the command ran inside bubblewrap. */
  sandboxed: z.boolean(),
});
/** What a finished command left behind. */
export type ProcessResult = z.infer<typeof ProcessResultSchema>;

function checkOptions(opts: RunProcessOptions): void {
  let isDir = false;
  try {
    isDir = statSync(opts.cwd).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir)
    throw new RalexError('not_found', `The working directory ${opts.cwd} does not exist`, {
      details: { cwd: opts.cwd },
    });
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
    throw new RalexError('bad_request', `timeoutMs must be a positive number, got ${opts.timeoutMs}`);
  }
}

/**
 * Runs a shell command in its own process group (inside bubblewrap when sandbox options are
 * given and bubblewrap works here), with output capped and the whole process tree killed on
 * timeout, on abort, and — for background leftovers — when the command itself exits.
 * Never throws for a failing command; throws RalexError for a missing cwd or a bad timeout.
 */
export async function runProcess(opts: RunProcessOptions): Promise<ProcessResult> {
  checkOptions(opts);
  const started = performance.now();
  const maxBytes = Math.max(2, Math.floor(opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES));
  const result = (fields: Partial<ProcessResult>): ProcessResult => ({
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    output: '',
    timedOut: false,
    cancelled: false,
    durationMs: performance.now() - started,
    sandboxed: false,
    ...fields,
  });
  const sandbox = opts.sandbox ? resolveSandboxOptions(opts.sandbox) : null;
  const status = sandbox ? await detectSandbox() : null;
  if (opts.signal?.aborted) return result({ cancelled: true });

  const runId = generateId('run');
  const sinceTicks = procTicksNow();
  const marker = { name: RUN_MARKER_VAR, value: runId };
  const sandboxed = sandbox !== null && status?.available === true;
  // A command under sandbox options is untrusted (the model wrote it, or can edit what it runs):
  // it gets an allow-listed environment, never the user's secrets, with or without bubblewrap.
  const env = sandbox
    ? buildSandboxEnv(
        process.env,
        { extraNames: sandbox.envNames, extra: { ...(sandboxed ? { TMPDIR: '/tmp' } : {}), ...opts.env } },
        marker,
      )
    : buildChildEnv(process.env, opts.env, marker);
  const { file, args } = sandboxed
    ? buildBubblewrapArgs({ command: opts.command, cwd: opts.cwd, sandbox })
    : {
        file: 'bash',
        args: limitedShellArgv(opts.command, sandbox ? effectiveLimits(sandbox) : null).slice(1),
      };

  const child = spawn(file, args, { cwd: opts.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new RalexError('internal_error', `Cannot start ${file}: ${error.message}`, { cause: error });
  }
  child.on('error', () => {}); // Signalling errors after start are handled by the tree kill.
  const run: RunIdentity = { rootPid: pid, runId, sinceTicks };
  const untrack = trackRunGroup(pid);

  const stdout = createCappedOutput(maxBytes);
  const stderr = createCappedOutput(maxBytes);
  const output = createCappedOutput(maxBytes);
  const emit = (text: string, name: 'stdout' | 'stderr') => {
    try {
      if (text) opts.onOutput?.(text, name);
    } catch {
      // A failing listener must not break the run.
    }
  };
  const listen = (stream: NodeJS.ReadableStream, sink: typeof stdout, name: 'stdout' | 'stderr') => {
    const decoder = new StringDecoder('utf8');
    stream.on('data', (chunk: Buffer) => {
      sink.push(chunk);
      output.push(chunk);
      if (opts.onOutput) emit(decoder.write(chunk), name);
    });
    stream.on('end', () => opts.onOutput && emit(decoder.end(), name));
  };
  listen(child.stdout, stdout, 'stdout');
  listen(child.stderr, stderr, 'stderr');

  let exited = false;
  let timedOut = false;
  let cancelled = false;
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= terminateRun(run, () => exited);
    return stopping;
  };
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const timer = setTimeout(() => {
    timedOut = !cancelled;
    void stop();
  }, opts.timeoutMs);
  const onAbort = () => {
    cancelled = !timedOut;
    void stop();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const { code, signal } = await exit;
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);
  if (stopping) await stopping;
  // Background leftovers do not outlive the command. Inside bubblewrap the kernel already
  // ended them: the sandbox's pid namespace dies with its first process.
  if (!sandboxed) await terminateRun(run, () => exited);
  // An unref'd timer: waiting for the streams to close must not keep Ralex's process alive.
  await Promise.race([closed, delay(500, undefined, { ref: false })]);
  child.stdout.destroy();
  child.stderr.destroy();
  untrack();
  return result({
    exitCode: code,
    signal,
    stdout: stdout.text(),
    stderr: stderr.text(),
    output: output.text(),
    timedOut,
    cancelled,
    sandboxed,
  });
}
