import type { Command } from 'commander';
import { toRalexError } from '../../errors.js';
import type { PolicyDecision } from '../../policy/decision.js';
import type { Policy } from '../../policy/policy.js';
import { EXIT } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

/** Where the policy command writes and how it sets the exit code; injectable so tests run in process. */
export interface PolicyCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
}

/** Exit codes of `ralex policy check|path`: allow 0, deny 3 (EXIT.denied), ask 4 (EXIT.needsInput), error 1. */
export const POLICY_EXIT = { allow: EXIT.ok, deny: EXIT.denied, ask: EXIT.needsInput } as const;

const processIo: PolicyCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

type Options = { json?: boolean; project: string; write?: boolean };

/**
 * Registers `ralex policy check [--json] [--project DIR] -- <command...>` and
 * `ralex policy path [--write] [--json] [--project DIR] <path>`. Human output by default, one JSON
 * object with --json; exit code 0 allow, 4 ask, 3 deny, 1 when the rules file is invalid.
 */
export function registerPolicyCommand(program: Command, io: PolicyCommandIo = processIo): Command {
  const policy = program.command('policy').description('ask the permission policy what it decides');
  withProjectOption(
    policy
      .command('check')
      .description('decide a shell command: allow, ask or deny, with the rule and the reason')
      .argument('<command...>', 'the shell command (put it after --)')
      .option('--json', 'print one JSON object'),
  ).action(async (words: string[], options: Options) => {
    await run(io, options, (p) => p.checkShell(words.join(' ')), 'command');
  });
  withProjectOption(
    policy
      .command('path')
      .description('decide reading (or with --write, writing) a path')
      .argument('<path>', 'the path, relative to the project or absolute')
      .option('--write', 'check writing instead of reading')
      .option('--json', 'print one JSON object'),
  ).action(async (path: string, options: Options) => {
    await run(io, options, (p) => p.checkPath(path, { write: options.write === true }), 'path');
  });
  return policy;
}

async function run(
  io: PolicyCommandIo,
  options: Options,
  decideWith: (p: Policy) => PolicyDecision,
  kind: string,
): Promise<void> {
  let policy: Policy;
  try {
    const { createPolicy } = await import('../../policy/policy.js');
    policy = await createPolicy({ projectRoot: options.project });
  } catch (error) {
    const e = toRalexError(error);
    if (options.json) io.stdout(`${JSON.stringify({ error: e.toJSON() })}\n`);
    else io.stderr(`ralex: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
    io.setExitCode(EXIT.failed);
    return;
  }
  const d = decideWith(policy);
  if (options.json) io.stdout(`${JSON.stringify(d)}\n`);
  else io.stdout(human(d, kind));
  io.setExitCode(POLICY_EXIT[d.decision]);
}

function human(
  d: PolicyDecision & { commands?: { text: string; decision: PolicyDecision }[]; resolved?: string },
  kind: string,
): string {
  const lines = [`${d.decision.toUpperCase()}  ${d.reason}`, `  rule: ${d.rule}`];
  if (d.subject) lines.push(`  ${kind}: ${d.subject}`);
  if (d.resolved) lines.push(`  resolved: ${d.resolved}`);
  if (d.commands && d.commands.length > 1) {
    for (const c of d.commands)
      lines.push(`  - ${c.decision.decision.padEnd(5)} ${c.text}  (${c.decision.rule})`);
  }
  return `${lines.join('\n')}\n`;
}
