import { spawn } from 'node:child_process';
import { RalexError } from '../errors.js';

/** What a finished child process left behind. */
export interface ProcessResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Options for one bounded child process run. */
export interface RunProcessOptions {
  input?: Buffer | string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Stop reading stdout past this many bytes (the child is killed). */
  maxOutputBytes?: number;
}

/** Runs a command without a shell, feeding stdin and collecting stdout; never hangs past `timeoutMs`. */
export function runProcess(
  command: string,
  args: string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  const { timeoutMs = 30_000, signal, maxOutputBytes = 256 * 1024 * 1024 } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RalexError('cancelled', `${command} was cancelled before it started.`));
      return;
    }
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: RalexError | undefined;
    const stop = (error: RalexError) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(new RalexError('timeout', `${command} took longer than ${timeoutMs} ms.`)),
      timeoutMs,
    );
    const onAbort = () => stop(new RalexError('cancelled', `${command} was cancelled.`));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutputBytes)
        stop(new RalexError('payload_too_large', `${command} produced too much output.`));
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8');
    });
    // A child that exits before reading all of stdin raises EPIPE: the exit code tells the story.
    child.stdin.on('error', () => {});
    child.on('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(
        new RalexError('internal_error', `Could not start ${command}: ${error.message}`, { cause: error }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else resolve({ code, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
