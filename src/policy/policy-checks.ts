import { checkToolCall } from './check-tool.js';
import type { PolicyContext } from './compiled-rules.js';
import { decide, type PolicyDecision, strictest } from './decision.js';
import { checkPath, type PathDecision } from './path/check-path.js';
import { analyzeShell, type ShellCommandReport } from './shell/analyze-shell.js';
import type { ShellParser } from './shell/shell-parser.js';

/** A shell decision plus the verdict on each simple command found in the line. */
export type ShellDecision = PolicyDecision & { commands: ShellCommandReport[] };

/** The three checks of a policy, for one set of compiled rules. */
export interface PolicyChecks {
  checkShell(command: string): ShellDecision;
  checkPath(path: string, opts: { write: boolean }): PathDecision;
  checkTool(tool: string, args: unknown): PolicyDecision;
}

const MAX_COMMAND_LENGTH = 64 * 1024;

/** The checks for `ctx`; `parser()` is the loaded bash parser, or null while it loads (then `load()` starts it). */
export function createPolicyChecks(
  ctx: PolicyContext,
  parser: () => ShellParser | null,
  load: () => void,
): PolicyChecks {
  const { projectRoot } = ctx;
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
    const p = parser();
    if (!p) {
      load();
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
      const f = analyzeShell(p, command, ctx, projectRoot);
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
    checkPath(
      path,
      { write: opts.write, outsideRead: 'deny' },
      {
        projectRoot,
        rules: ctx.rules,
        home: ctx.home,
        ignoredPaths: ctx.ignoredPaths,
        ralexCode: ctx.ralexCode,
      },
    );
  return {
    checkShell,
    checkPath: checkPathFn,
    checkTool: (tool, args) => checkToolCall(tool, args, ctx, { checkPath: checkPathFn, checkShell }),
  };
}
