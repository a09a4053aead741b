import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A small helper process that starts Ralex's git commands for it.
 *
 * Node starts a child with fork + exec on the calling thread, and the fork copies the page tables
 * of the whole process: at the ~140 MiB a change run reaches, each git call blocks the event loop
 * for about twice what it does in a fresh Node process (measured here: 2.6 ms per `git --version`
 * at 50 MiB of RSS, 11.6 ms at 270 MiB). A change makes ~60 such calls, many of them one after the
 * other. The launcher is a bare Node process (no modules, a few MiB of heap) that spawns each git
 * command it is sent over an IPC channel and sends back its exit code and output, so the fork is
 * cheap and happens off Ralex's event loop. It runs exactly the file, arguments, directory and
 * environment it is given: nothing about what git does changes, only who forks it.
 *
 * It is started by what makes many git calls (a command that runs the model, `ralex serve`); until
 * it says it is ready, and after it exits for any reason, git is spawned directly. It sits in its
 * own process group (a Ctrl-C at the terminal does not stop it while a cancelled change still has
 * git work to do) and exits when Ralex does: its IPC channel closes.
 */
const LAUNCHER_SCRIPT = `'use strict';
process.title = 'ralex-git-launcher';
const { spawn } = require('node:child_process');
process.on('disconnect', () => process.exit(0));
process.on('message', (m) => {
  let child;
  try {
    child = spawn(m.file, m.args, { cwd: m.cwd, env: m.env });
  } catch (error) {
    process.send({ id: m.id, spawnError: String(error && error.message) });
    return;
  }
  const out = [];
  const err = [];
  let failed = null;
  if (m.stream) {
    // Chunks go as they come, one at a time: a listing of a million paths is never held whole.
    child.stdout.on('data', (d) => {
      child.stdout.pause();
      process.send({ id: m.id, chunk: d }, () => child.stdout.resume());
    });
  } else child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  child.on('error', (error) => { failed = error; });
  child.on('close', (code, signal) => {
    if (failed) process.send({ id: m.id, spawnError: String(failed.message) }); // it never ran (e.g. no such directory)
    else process.send({ id: m.id, code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
  });
  child.stdin.on('error', () => {});
  child.stdin.end(m.input === undefined ? undefined : Buffer.from(m.input));
});
process.send({ ready: true });
`;

/** What one launched command ended with: like `execFile`'s callback, without its error object. */
export interface LaunchResult {
  /** The exit code; null when the process was killed by a signal or could not start. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Why the process could not be started (e.g. `spawn git ENOENT`). */
  spawnError?: string;
}

/** One command for the launcher. */
export interface LaunchRequest {
  file: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: string | Buffer;
}

/** What the parent keeps of a command in flight. */
interface InFlight {
  settle: (result: LaunchResult) => void;
  /** Streamed stdout (`launchStream`). */
  onChunk?: (chunk: Buffer) => void;
}

type Reply = { id: number; spawnError?: string; chunk?: Uint8Array } & Partial<LaunchResult>;

interface Launcher {
  child: ChildProcess;
  ready: boolean;
  pending: Map<number, InFlight>;
  nextId: number;
}

let launcher: Launcher | null = null;

/**
 * Starts the launcher if it is not running (idempotent; cheap to call on every command). Calls
 * made before it is ready are spawned directly.
 */
export function startGitLauncher(): void {
  if (launcher) return;
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--max-old-space-size=64', '-e', LAUNCHER_SCRIPT], {
      // No NODE_OPTIONS: the launcher loads nothing (a test runner's loader would only slow it).
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced', // Buffers cross as bytes
      detached: true,
    });
  } catch {
    return; // git is spawned directly
  }
  const started: Launcher = { child, ready: false, pending: new Map(), nextId: 1 };
  launcher = started;
  child.unref();
  child.channel?.unref();
  child.on('message', (message: Reply & { ready?: boolean }) => {
    if (message.ready) {
      started.ready = true;
      return;
    }
    const inFlight = started.pending.get(message.id);
    if (!inFlight) return;
    if (message.chunk) {
      inFlight.onChunk?.(toBuffer(message.chunk));
      return;
    }
    started.pending.delete(message.id);
    if (started.pending.size === 0) child.channel?.unref();
    inFlight.settle({
      code: message.code ?? null,
      signal: message.signal ?? null,
      stdout: toBuffer(message.stdout),
      stderr: toBuffer(message.stderr),
      ...(message.spawnError ? { spawnError: message.spawnError } : {}),
    });
  });
  const gone = () => {
    if (launcher === started) launcher = null;
    started.ready = false;
    // Whether a command in flight ran is unknown: it fails, saying so, rather than running twice.
    for (const { settle } of started.pending.values()) {
      settle({
        code: null,
        signal: null,
        stdout: Buffer.alloc(0),
        stderr: Buffer.alloc(0),
        spawnError: 'the git launcher process exited before the command finished',
      });
    }
    started.pending.clear();
  };
  child.on('exit', gone);
  child.on('error', gone);
}

/** Stops the launcher (tests; a server shutting down). Later calls spawn git directly. */
export function stopGitLauncher(): void {
  const current = launcher;
  if (!current) return;
  launcher = null;
  current.child.kill();
}

/** The launcher's process id while it is running and ready (tests). */
export function gitLauncherPid(): number | null {
  return launcher?.ready ? (launcher.child.pid ?? null) : null;
}

/**
 * Runs one command through the launcher, or returns null when it is not ready (the caller spawns
 * it directly).
 */
export function launch(request: LaunchRequest): Promise<LaunchResult> | null {
  return send(request, undefined);
}

/**
 * Like `launch`, handing stdout to `onChunk` as it comes (the result's stdout is then empty), or
 * null when the launcher is not ready.
 */
export function launchStream(
  request: LaunchRequest,
  onChunk: (chunk: Buffer) => void,
): Promise<LaunchResult> | null {
  return send(request, onChunk);
}

function send(
  request: LaunchRequest,
  onChunk: ((chunk: Buffer) => void) | undefined,
): Promise<LaunchResult> | null {
  const current = launcher;
  if (!current?.ready || !current.child.connected) return null;
  const id = current.nextId++;
  return new Promise((resolve) => {
    if (current.pending.size === 0) current.child.channel?.ref(); // a command in flight keeps Ralex alive
    current.pending.set(id, { settle: resolve, ...(onChunk ? { onChunk } : {}) });
    const input = typeof request.input === 'string' ? Buffer.from(request.input) : request.input;
    current.child.send(
      {
        id,
        file: request.file,
        args: request.args,
        cwd: request.cwd,
        env: request.env,
        input,
        stream: onChunk !== undefined,
      },
      (error) => {
        if (!error || !current.pending.has(id)) return;
        current.pending.delete(id);
        if (current.pending.size === 0) current.child.channel?.unref();
        resolve({
          code: null,
          signal: null,
          stdout: Buffer.alloc(0),
          stderr: Buffer.alloc(0),
          spawnError: `could not send the command to the git launcher: ${error.message}`,
        });
      },
    );
  });
}

/** IPC's advanced serialisation hands Buffers back as Uint8Arrays. */
function toBuffer(bytes: Uint8Array | Buffer | undefined): Buffer {
  if (!bytes) return Buffer.alloc(0);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
