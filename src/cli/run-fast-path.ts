import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { RalexEvent } from '../events/events.js';
import { EXIT } from './cli-output.js';
import { findRunSocket, runOverSocket, type SocketRunControl } from './run-client.js';
import { exitCodeOf, printProgress, printResult } from './run-output.js';

/**
 * `ralex run` as the thin client of a running `ralex serve` for the project: when the project's
 * command socket is there (and ours), the command runs in the server — warm, its file names and
 * models already loaded — and this process only prints. Returns false when the command should
 * run in this process instead: no server (or a stale socket), a socket that is not ours, a token
 * the server refused, `--trust`, arguments only the full parser understands, or
 * `RALEX_NO_SERVER=1`. Nothing has run when it returns false.
 */
export async function runThroughServer(argv: readonly string[]): Promise<boolean> {
  if (process.env.RALEX_NO_SERVER === '1') return false;
  let parsed: ReturnType<typeof parseRunArgs>;
  try {
    parsed = parseRunArgs(argv);
  } catch {
    return false; // commander reports the usage error
  }
  const { values, positionals } = parsed;
  if (values.trust || values.help || positionals.length === 0) return false;
  const lookup = findRunSocket(values.project ?? process.cwd());
  if (lookup.kind === 'none') return false;
  if (lookup.kind === 'refused') {
    process.stderr.write(`  not using the server's socket: ${lookup.reason}; running here instead\n`);
    return false;
  }
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
    switch (done.kind) {
      case 'unavailable':
        return false;
      case 'refused':
        process.stderr.write(`  ralex serve refused the command (${done.message}); running here instead\n`);
        return false;
      case 'result':
        if (json) process.stdout.write(`${done.line}\n`);
        else printResult(done.result);
        process.exitCode = exitCodeOf(done.result.status);
        return true;
      case 'error':
        if (json) process.stdout.write(`${JSON.stringify({ error: done.error })}\n`);
        else
          process.stderr.write(
            `ralex: ${done.error.message}\n${done.error.hint ? `  ${done.error.hint}\n` : ''}`,
          );
        process.exitCode = EXIT.failed;
        return true;
      case 'lost':
        process.stderr.write(
          'ralex: ralex serve stopped while running the command; `ralex status` shows what it did.\n',
        );
        process.exitCode = EXIT.failed;
        return true;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
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
