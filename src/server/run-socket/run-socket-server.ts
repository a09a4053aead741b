import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { toRalexError } from '../../errors.js';
import { previewContext } from '../../pipeline/context.js';
import { runCommand } from '../../pipeline/pipeline.js';
import type { Runtime } from '../../runtime.js';
import { tokenMatches } from '../auth-token.js';
import { type ClientMessage, ClientMessageSchema, MAX_LINE_BYTES } from './run-socket-protocol.js';

/** A listening command socket. */
export interface RunSocket {
  path: string;
  close(): Promise<void>;
}

/** Longest a client may take to send its first line. */
const FIRST_LINE_MS = 5_000;
/** sun_path holds 108 bytes on Linux, the terminating NUL included. */
const MAX_SOCKET_PATH = 107;

/**
 * Listens on `rt.paths.runSocket` for `ralex run`: each connection runs one command through the
 * pipeline of this process once its first line carries `token`. The socket is made with mode
 * 0600; a stale one (nobody accepts on it) is replaced; a live one (another server) or a path
 * that is not a socket is left alone, and null is returned with the reason in `onSkip`.
 */
export async function serveRunSocket(
  rt: Runtime,
  options: { token: string; onSkip?: (reason: string) => void },
): Promise<RunSocket | null> {
  const path = rt.paths.runSocket;
  const skip = (reason: string) => {
    options.onSkip?.(reason);
    return null;
  };
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) return skip(`the path ${path} is too long for a socket`);
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing) {
    if (!existing.isSocket()) return skip(`${path} exists and is not a socket`);
    if (await accepts(path)) return skip(`another ralex serve takes commands on ${path}`);
    unlinkSync(path);
  }
  const server = createServer((socket) => handleConnection(rt, options.token, socket));
  // Made 0600 from the start (umask), not chmod-ed after a window in which others could connect.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    return skip(`cannot listen on ${path}: ${(error as Error).message}`);
  } finally {
    process.umask(umask);
  }
  chmodSync(path, 0o600);
  server.unref();
  const made = lstatSync(path);
  return {
    path,
    close: () => closeServer(server, path, made.ino),
  };
}

/** Stops accepting (running commands finish or are cancelled by the runtime's close) and removes the socket file. */
async function closeServer(server: Server, path: string, ino: number): Promise<void> {
  server.close();
  // Only our own socket file: a later server may have replaced it.
  try {
    if (lstatSync(path, { throwIfNoEntry: false })?.ino === ino) unlinkSync(path);
  } catch {}
}

/** Whether something accepts connections on the socket at `path`. */
function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function handleConnection(rt: Runtime, token: string, socket: Socket): void {
  socket.setEncoding('utf8');
  const send = (message: unknown) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
  };
  let refused = false;
  const refuse = (code: 'unauthorized' | 'bad_request', message: string) => {
    refused = true;
    send({ type: 'refused', code, message });
    socket.end();
  };
  const timer = setTimeout(() => refuse('bad_request', 'No command arrived in time.'), FIRST_LINE_MS);
  timer.unref();
  let buffered = '';
  let command: ReturnType<typeof startCommand> | undefined;
  socket.on('data', (chunk: string) => {
    if (refused) return;
    buffered += chunk;
    if (Buffer.byteLength(buffered) > MAX_LINE_BYTES) {
      refuse('bad_request', 'A message is too long.');
      socket.destroy();
      return;
    }
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      let parsed: ReturnType<typeof ClientMessageSchema.safeParse>;
      try {
        parsed = ClientMessageSchema.safeParse(JSON.parse(line));
      } catch {
        refuse('bad_request', 'A message is not JSON.');
        return;
      }
      if (!parsed.success) {
        refuse('bad_request', 'A message does not have the shape of the protocol (docs/run-socket.md).');
        return;
      }
      const message = parsed.data;
      if (!command) {
        clearTimeout(timer);
        if (message.type !== 'run' && message.type !== 'context')
          return refuse('bad_request', 'The first message must be "run" or "context".');
        if (!tokenMatches(message.token, token))
          return refuse('unauthorized', 'The token is not this server’s.');
        command =
          message.type === 'run'
            ? startCommand(rt, message, send, () => socket.end())
            : sendContext(rt, message, send, () => socket.end());
      } else if (message.type === 'approval') command.answer(message.approvalId, message.approve);
      else if (message.type === 'cancel') command.cancel();
    }
  });
  // A client that goes away (Ctrl-C, killed) cancels its command, as it would in process.
  socket.on('close', () => {
    clearTimeout(timer);
    command?.cancel();
  });
  socket.on('error', () => {});
}

/** `ralex context` through the server: its warm, watched index and loaded modules build the package. */
function sendContext(
  rt: Runtime,
  message: Extract<ClientMessage, { type: 'context' }>,
  send: (message: unknown) => void,
  end: () => void,
) {
  previewContext(rt, message.text, { budget: message.budget, sessionId: message.sessionId })
    .then(
      (context) => send({ type: 'context', context }),
      (error) => send({ type: 'error', error: toRalexError(error).toJSON() }),
    )
    .finally(end);
  return { answer() {}, cancel() {} };
}

function startCommand(
  rt: Runtime,
  message: Extract<ClientMessage, { type: 'run' }>,
  send: (message: unknown) => void,
  end: () => void,
) {
  const commandId = rt.ids('cmd');
  const controller = new AbortController();
  const approvals = new Set<string>();
  let finished = false;
  const unsubscribe = rt.bus.subscribe((event) => {
    if (event.commandId !== commandId) return;
    if (event.type === 'approval.requested') approvals.add(event.approvalId);
    send({ type: 'event', event });
  });
  runCommand(
    {
      text: message.text,
      commandId,
      sessionId: message.sessionId,
      ...(message.model ? { model: message.model } : {}),
      source: 'cli',
      autoApprove: message.autoApprove,
      signal: controller.signal,
    },
    rt,
  )
    .then(
      (result) => send({ type: 'result', result }),
      (error) => send({ type: 'error', error: toRalexError(error).toJSON() }),
    )
    .finally(() => {
      finished = true;
      unsubscribe();
      end();
    });
  return {
    /** Only this command's own approvals can be answered over its connection. */
    answer(approvalId: string, approve: boolean) {
      if (approvals.has(approvalId)) rt.approvals.answer(approvalId, approve, 'cli');
    },
    cancel() {
      if (!finished) controller.abort();
    },
  };
}
