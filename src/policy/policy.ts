import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { RalexError } from '../errors.js';
import { checkToolCall } from './check-tool.js';
import { compileRules, type PolicyContext } from './compiled-rules.js';
import { decide, type PolicyDecision, strictest } from './decision.js';
import { loadSecurityRules } from './load-security-rules.js';
import { checkPath, type PathDecision } from './path/check-path.js';
import type { SecurityRules } from './security-rules.js';
import { analyzeShell, type ShellCommandReport } from './shell/analyze-shell.js';
import { loadShellParser, type ShellParser } from './shell/shell-parser.js';

/** A shell decision plus the verdict on each simple command found in the line. */
export type ShellDecision = PolicyDecision & { commands: ShellCommandReport[] };

/** The permission policy every guard stage and agent tool call goes through. */
export interface Policy {
  /** The project root (realpath) the policy protects. */
  readonly projectRoot: string;
  readonly rules: SecurityRules;
  /** Decides a shell command line (as `run_command` would run it from the project root). */
  checkShell(command: string): ShellDecision;
  /** Decides reading or writing one path. */
  checkPath(path: string, opts: { write: boolean }): PathDecision;
  /** Decides one agent tool call (`read_file`, `write_file`, `run_command`, ...). */
  checkTool(tool: string, args: unknown): PolicyDecision;
  /** Resolves once the bash parser is loaded; until then a shell check answers `ask`, never `allow`. */
  ready(): Promise<void>;
}

/** Options of createPolicy. */
export interface CreatePolicyOptions {
  projectRoot: string;
  /** Validated rules; loaded from `.ralex/config/security_rules.yaml` when omitted. */
  rules?: SecurityRules;
  /** Home directory used for `~` (injectable for tests). */
  home?: string;
  /**
   * `now` (default): the bash parser is loaded before the policy is returned. `on-demand`: it is
   * loaded by the first `ready()`, so a process that never checks a shell command (a direct
   * command, an idle server) never pays its time and memory.
   */
  shellParser?: 'now' | 'on-demand';
}

const MAX_COMMAND_LENGTH = 64 * 1024;

/** Creates the policy for a project: loads the shell parser once, then every check is synchronous. */
export async function createPolicy(options: CreatePolicyOptions): Promise<Policy> {
  let parser: ShellParser | null = null;
  let loading: Promise<void> | null = null;
  const ready = () => {
    loading ??= loadShellParser().then((p) => {
      parser = p;
    });
    return loading;
  };
  if (options.shellParser !== 'on-demand') await ready();
  let projectRoot: string;
  try {
    projectRoot = realpathSync.native(options.projectRoot);
  } catch (error) {
    throw new RalexError('not_found', `The project directory ${options.projectRoot} does not exist.`, {
      hint: 'Pass an existing directory with --project, or run the command inside the project.',
      cause: error,
    });
  }
  const rules = options.rules ?? loadSecurityRules(projectRoot);
  const ctx: PolicyContext = compileRules(projectRoot, rules, options.home ?? homedir());

  const checkShell = (command: string): ShellDecision => {
    if (command.trim() === '')
      return { ...decide('deny', 'hard:empty-command', 'The command is empty.', command), commands: [] };
    if (command.length > MAX_COMMAND_LENGTH || command.includes('\0')) {
      return {
        ...decide(
          'ask',
          'hard:unreadable-command',
          'The command is too long or contains NUL bytes to analyse.',
          command.slice(0, 200),
        ),
        commands: [],
      };
    }
    if (!parser) {
      void ready();
      return {
        ...decide(
          'ask',
          'hard:parser-not-ready',
          'The shell analyser is still loading, so this command needs approval.',
          command,
        ),
        commands: [],
      };
    }
    try {
      const f = analyzeShell(parser, command, ctx, projectRoot);
      const verdict = strictest(
        f.decisions,
        decide('allow', 'default:no-op', 'Nothing in the command runs a program.', command),
      );
      return { ...verdict, subject: command, commands: f.commands };
    } catch (error) {
      return {
        ...decide(
          'ask',
          'hard:analysis-failed',
          `Ralex could not analyse the command (${(error as Error).message}).`,
          command,
        ),
        commands: [],
      };
    }
  };
  const checkPathFn = (path: string, opts: { write: boolean }): PathDecision =>
    checkPath(path, { write: opts.write, outsideRead: 'deny' }, { projectRoot, rules, home: ctx.home });

  return {
    projectRoot,
    rules,
    checkShell,
    checkPath: checkPathFn,
    checkTool: (tool, args) => checkToolCall(tool, args, ctx, { checkPath: checkPathFn, checkShell }),
    ready,
  };
}
