import { lstatSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { CommandResult } from '../command/command-result.js';
import type { RalexEvent } from '../events/events.js';
import type { ContextPreview } from '../pipeline/context.js';
import { RUN_SOCKET_NAME } from '../project/ralex-paths.js';

// The thin client of `ralex serve`'s command socket (docs/run-socket.md). It imports only Node's
// own modules, so `ralex run` with a server costs a process start, a connect and the work.

/** Where a server for the project takes commands, or why that socket is not used. */
export type RunSocketLookup =
  | { kind: 'found'; socket: string; token: string }
  | { kind: 'none' }
  | { kind: 'refused'; reason: string };

/** The project root of `dir` as git finds it: the nearest folder up with a `.git` entry. */
function gitRoot(dir: string): string | undefined {
  let at = resolve(dir);
  for (;;) {
    if (lstatSync(join(at, '.git'), { throwIfNoEntry: false })) return at;
    const up = dirname(at);
    if (up === at) return undefined;
    at = up;
  }
}

/**
 * Looks for the command socket of the project at `projectDir`. A socket owned by another user,
 * or one others may connect to (mode wider than 0600), is refused: it is not our server.
 */
export function findRunSocket(projectDir: string, env: NodeJS.ProcessEnv = process.env): RunSocketLookup {
  const root = gitRoot(projectDir);
  if (!root) return { kind: 'none' };
  const stateDir = join(root, '.ralex', 'state');
  const socket = join(stateDir, RUN_SOCKET_NAME);
  const st = lstatSync(socket, { throwIfNoEntry: false });
  if (!st) return { kind: 'none' };
  if (!st.isSocket()) return { kind: 'refused', reason: `${socket} is not a socket` };
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    return { kind: 'refused', reason: `${socket} belongs to another user (uid ${st.uid})` };
  if ((st.mode & 0o077) !== 0)
    return {
      kind: 'refused',
      reason: `${socket} is open to other users (mode ${(st.mode & 0o777).toString(8)})`,
    };
  const token = env.RALEX_TOKEN || readToken(join(stateDir, 'token'));
  if (!token) return { kind: 'none' };
  return { kind: 'found', socket, token };
}

function readToken(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A request over the socket that got no answer: the server's error or refusal, or no connection. */
export type SocketFailure =
  | { kind: 'error'; error: { code: string; message: string; hint?: string } }
  | { kind: 'refused'; code: string; message: string }
  /** Nothing accepted the connection (no server, or a stale socket): nothing ran. */
  | { kind: 'unavailable'; reason: string }
  /** The connection ended after the request was sent and before its answer. */
  | { kind: 'lost' };

/** What one command sent over the socket came to. */
export type SocketRunOutcome = { kind: 'result'; result: CommandResult; line: string } | SocketFailure;

/** The command, as `ralex run` was given it. */
export interface SocketRunRequest {
  text: string;
  sessionId?: string;
  model?: string;
  autoApprove?: boolean;
}

/** A command running on the server: answer its approvals, cancel it. */
export interface SocketRunControl {
  answer(approvalId: string, approve: boolean): void;
  cancel(): void;
}

/**
 * Sends one command to the server on `socket` and follows it to its result; `onEvent` gets
 * each of its events (and the line it came in, for `--json`).
 */
export function runOverSocket(
  lookup: { socket: string; token: string },
  request: SocketRunRequest,
  onEvent: (event: RalexEvent, line: string, control: SocketRunControl) => void,
): { outcome: Promise<SocketRunOutcome>; control: SocketRunControl } {
  const conn = connect(lookup.socket);
  const write = (message: unknown) => {
    if (!conn.destroyed && conn.writable) conn.write(`${JSON.stringify(message)}\n`);
  };
  const control: SocketRunControl = {
    answer: (approvalId, approve) => write({ type: 'approval', approvalId, approve }),
    cancel: () => write({ type: 'cancel' }),
  };
  const outcome = exchange<Extract<SocketRunOutcome, { kind: 'result' }>>(
    conn,
    { type: 'run', token: lookup.token, ...request },
    (message, line, answer) => {
      if (message.type === 'event') onEvent(message.event as RalexEvent, line, control);
      else if (message.type === 'result')
        answer({ kind: 'result', result: message.result as CommandResult, line });
    },
  );
  return { outcome, control };
}

/** What `ralex context` sent over the socket came to. */
export type SocketContextOutcome = { kind: 'context'; context: ContextPreview } | SocketFailure;

/** Asks the server on `socket` for the context package it would send with `text` (no model call). */
export function contextOverSocket(
  lookup: { socket: string; token: string },
  request: { text: string; budget?: number; sessionId?: string },
): Promise<SocketContextOutcome> {
  return exchange<Extract<SocketContextOutcome, { kind: 'context' }>>(
    connect(lookup.socket),
    { type: 'context', token: lookup.token, ...request },
    (message, _line, answer) => {
      if (message.type === 'context') answer({ kind: 'context', context: message.context as ContextPreview });
    },
  );
}

/**
 * Sends `first` once connected and hands each line of the protocol to `onMessage`, which settles
 * with `answer`; an `error` or `refused` message, a connection that failed (`unavailable`: nothing
 * ran) or one that ended before the answer (`lost`) settles as a failure.
 */
function exchange<A>(
  conn: Socket,
  first: Record<string, unknown>,
  onMessage: (
    message: { type: string; [key: string]: unknown },
    line: string,
    answer: (outcome: A) => void,
  ) => void,
): Promise<A | SocketFailure> {
  return new Promise<A | SocketFailure>((settle) => {
    let connected = false;
    let buffered = '';
    conn.setEncoding('utf8');
    conn.once('connect', () => {
      connected = true;
      if (!conn.destroyed && conn.writable) conn.write(`${JSON.stringify(first)}\n`);
    });
    conn.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        let message: { type: string; [key: string]: unknown };
        try {
          message = JSON.parse(line) as typeof message;
        } catch {
          continue; // not a line of the protocol
        }
        if (message.type === 'error')
          settle({ kind: 'error', error: message.error as { code: string; message: string } });
        else if (message.type === 'refused')
          settle({ kind: 'refused', code: String(message.code), message: String(message.message) });
        else onMessage(message, line, settle);
      }
    });
    conn.once('error', (error) => {
      if (!connected) settle({ kind: 'unavailable', reason: (error as Error).message });
    });
    conn.once('close', () =>
      settle(connected ? { kind: 'lost' } : { kind: 'unavailable', reason: 'closed' }),
    );
  });
}
