import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { RalexEvent } from '../events/events.js';
import { EXIT } from './cli-output.js';
import { printContext } from './context-output.js';
import {
  contextOverSocket,
  findRunSocket,
  runOverSocket,
  type SocketFailure,
  type SocketRunControl,
} from './run-client.js';
import { exitCodeOf, printProgress, printResult } from './run-output.js';

/**
 * The commands a running `ralex serve` can take for this process (`ralex run`, `ralex context`):
 * true when the server did it, false when the full command line should (see each below).
 */
export async function throughServer(argv: readonly string[]): Promise<boolean> {
  const [command, ...rest] = argv.slice(2);
  if (command === 'run') return runThroughServer(rest);
  if (command === 'context') return contextThroughServer(rest);
  return false;
}

/**
 * `ralex run` as the thin client of a running `ralex serve` for the project: when the project's
 * command socket is there (and ours), the command runs in the server — warm, its file names and
 * models already loaded — and this process only prints. Returns false when the command should
 * run in this process instead: no server (or a stale socket), a socket that is not ours, a token
 * the server refused, `--trust`, arguments only the full parser understands, or
 * `RALEX_NO_SERVER=1`. Nothing has run when it returns false.
 */
export async function runThroughServer(argv: readonly string[]): Promise<boolean> {
  const parsed = argsForServer(() => parseRunArgs(argv));
  if (!parsed) return false;
  const { values, positionals } = parsed;
  if (values.trust || values.help || positionals.length === 0) return false;
  const lookup = serverFor(values.project);
  if (!lookup) return false;
  const json = values.json ?? false;
  const { outcome, control } = runOverSocket(
    lookup,
    {
      text: positionals.join(' '),
      ...(values.session ? { sessionId: values.session } : {}),
      ...(values.model ? { model: values.model } : {}),
      autoApprove: values.yes ?? false,
    },
    (event, line, ctl) => {
      if (json) process.stdout.write(`${line}\n`);
      else printProgress(event);
      if (event.type === 'approval.requested' && !values.yes) void answerOnTerminal(event, ctl);
    },
  );
  const onSigint = () => control.cancel();
  process.once('SIGINT', onSigint);
  try {
    const done = await outcome;
    if (done.kind !== 'result')
      return failed(done, {
        what: 'the command',
        json,
        lost: 'ralex serve stopped while running the command; `ralex status` shows what it did.',
      });
    if (json) process.stdout.write(`${done.line}\n`);
    else printResult(done.result);
    process.exitCode = exitCodeOf(done.result.status);
    return true;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The project's server socket when it is there and ours; says why on stderr when it is not ours. */
function serverFor(
  project: string | undefined,
): Extract<ReturnType<typeof findRunSocket>, { kind: 'found' }> | null {
  const lookup = findRunSocket(project ?? process.cwd());
  if (lookup.kind === 'none') return null;
  if (lookup.kind === 'refused') {
    process.stderr.write(`  not using the server's socket: ${lookup.reason}; running here instead\n`);
    return null;
  }
  return lookup;
}

/**
 * `ralex context` as the thin client of a running `ralex serve`: the server builds the package
 * with its warm, watched index and prints nothing of its own; this process prints it as the full
 * command would. False (nothing printed) when it should run in this process: no server, a socket
 * not ours, a refusal, `RALEX_NO_SERVER=1`, or arguments the full parser should report.
 */
export async function contextThroughServer(argv: readonly string[]): Promise<boolean> {
  const parsed = argsForServer(() => parseContextArgs(argv));
  if (!parsed) return false;
  const { values, positionals } = parsed;
  const budget = values.budget === undefined ? undefined : Number(values.budget);
  if (values.help || positionals.length === 0) return false;
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 100)) return false;
  const lookup = serverFor(values.project);
  if (!lookup) return false;
  const done = await contextOverSocket(lookup, {
    text: positionals.join(' '),
    ...(budget !== undefined ? { budget } : {}),
    ...(values.session ? { sessionId: values.session } : {}),
  });
  if (done.kind !== 'context')
    return failed(done, {
      what: 'the request',
      json: false,
      lost: 'ralex serve stopped before it answered.',
    });
  printContext(done.context, values.json ?? false);
  process.exitCode = EXIT.ok;
  return true;
}

/** The arguments a fast path understands, or null to leave the command to the full command line. */
function argsForServer<T>(parse: () => T): T | null {
  if (process.env.RALEX_NO_SERVER === '1') return null;
  try {
    return parse();
  } catch {
    return null; // commander reports the usage error
  }
}

/**
 * A request the server did not answer: false (nothing ran, run it here) when no server took it
 * or it was refused; true, with the reason printed and a failed exit code, when it failed there.
 */
function failed(done: SocketFailure, how: { what: string; json: boolean; lost: string }): boolean {
  switch (done.kind) {
    case 'unavailable':
      return false;
    case 'refused':
      process.stderr.write(`  ralex serve refused ${how.what} (${done.message}); running here instead\n`);
      return false;
    case 'error':
      if (how.json) process.stdout.write(`${JSON.stringify({ error: done.error })}\n`);
      else
        process.stderr.write(
          `ralex: ${done.error.message}\n${done.error.hint ? `  ${done.error.hint}\n` : ''}`,
        );
      break;
    case 'lost':
      process.stderr.write(`ralex: ${how.lost}\n`);
      break;
  }
  process.exitCode = EXIT.failed;
  return true;
}

function parseContextArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      budget: { type: 'string' },
      session: { type: 'string' },
      project: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parseRunArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      yes: { type: 'boolean', short: 'y' },
      json: { type: 'boolean' },
      session: { type: 'string' },
      model: { type: 'string' },
      trust: { type: 'boolean' },
      project: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** As in process: y/N on a terminal, denied at once without one. */
async function answerOnTerminal(
  event: Extract<RalexEvent, { type: 'approval.requested' }>,
  control: SocketRunControl,
): Promise<void> {
  if (!process.stdin.isTTY) {
    process.stderr.write(
      `  approval needed for ${event.detail} — denied: no terminal to ask on (use --yes to approve)\n`,
    );
    control.answer(event.approvalId, false);
    return;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`  ${event.reason}\n  Allow: ${event.detail} ? [y/N] `);
    control.answer(event.approvalId, /^y(es)?$/i.test(answer.trim()));
  } finally {
    rl.close();
  }
}
