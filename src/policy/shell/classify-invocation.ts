import { isAbsolute, resolve } from 'node:path';
import { baseName } from '../command-pattern.js';
import { defaultCommandDecision, type PolicyContext, userCommandDecision } from '../compiled-rules.js';
import { decide, type PolicyDecision } from '../decision.js';
import { isInside } from '../path/check-path.js';
import { withOverride } from '../security-rules.js';
import { normalizeGit } from './git-command.js';
import { pathArguments } from './path-arguments.js';
import { KNOWN_PROGRAMS, NETWORK_PROGRAMS } from './program-catalog.js';
import { programChecks } from './program-checks.js';
import { isCriticalTarget, shellPathCheck } from './shell-path-check.js';
import { DYNAMIC } from './word-value.js';

/** What classifying one command level found. */
export interface InvocationResult {
  decisions: PolicyDecision[];
  network: boolean;
  secretRead: boolean;
}

/** Programs that report names, sizes or types of files without printing what is in them. */
const METADATA_ONLY = new Set([
  'ls',
  'll',
  'la',
  'dir',
  'stat',
  'du',
  'file',
  'wc',
  'tree',
  'find',
  'fd',
  'realpath',
  'readlink',
]);
const SYSTEM_BIN = /^\/(usr\/(local\/)?)?s?bin\/[^/]+$/;
const DELETERS = new Set([
  'rm',
  'rmdir',
  'shred',
  'unlink',
  'srm',
  'wipe',
  'find',
  'chmod',
  'chown',
  'chgrp',
  'mv',
  'truncate',
]);
/** Environment variables that change which code a command loads or runs. */
const INJECTING_ENV =
  /^(LD_[A-Z_]+|DYLD_[A-Z_]+|PATH|BASH_ENV|ENV|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|IFS|PS4|GIT_SSH|GIT_SSH_COMMAND|GIT_EXTERNAL_DIFF|GIT_PAGER|GIT_EDITOR|GIT_ASKPASS|GIT_PROXY_COMMAND|GIT_CONFIG[A-Z_]*|GIT_EXEC_PATH|GIT_TEMPLATE_DIR|GIT_DIR|GIT_WORK_TREE|GIT_INDEX_FILE|GIT_OBJECT_DIRECTORY|GIT_ALTERNATE_OBJECT_DIRECTORIES|GIT_COMMON_DIR|PAGER|EDITOR|VISUAL|NODE_OPTIONS|PYTHONSTARTUP|PYTHONINSPECT|PERL5OPT|PERL5DB|RUBYOPT|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|LESSOPEN|LESSCLOSE|MANPAGER|BROWSER|SSH_ASKPASS|SUDO_ASKPASS|NPM_CONFIG_[A-Z_]+|npm_config_[a-z_]+)$/;

/**
 * The rule decision for one level of a command (the words as written, or what runs inside a
 * wrapper): the last matching user rule, else the strictest matching default rule, else a known
 * program is allowed, a project script is allowed, and anything else gets `unknown_commands`.
 */
export function ruleDecision(
  argv: readonly string[],
  cwd: string | null,
  ctx: PolicyContext,
  subject: string,
): PolicyDecision {
  const user = userCommandDecision(ctx, argv, subject);
  if (user) return user;
  const def = defaultCommandDecision(ctx, argv, subject);
  if (def) return def;
  const name = argv[0] ?? '';
  if (name.includes('/')) {
    const abs = isAbsolute(name) ? name : resolve(cwd ?? ctx.projectRoot, name);
    if (cwd !== null && isInside(abs, ctx.projectRoot) && !abs.includes(DYNAMIC)) {
      return decide('allow', 'default:project-script', `${name} is a program inside the project.`, subject);
    }
    if (!SYSTEM_BIN.test(abs) || !KNOWN_PROGRAMS.has(baseName(name))) {
      return decide(
        ctx.rules.unknown_commands,
        'default:unknown-program',
        `${name} is a program outside the project that Ralex does not know.`,
        subject,
      );
    }
  }
  if (KNOWN_PROGRAMS.has(baseName(name)))
    return decide('allow', 'default:known-program', `${baseName(name)} is a common developer tool.`, subject);
  return withOverride(
    decide(
      ctx.rules.unknown_commands,
      'default:unknown-program',
      `"${baseName(name)}" is not a program Ralex knows, so it needs approval.`,
      subject,
    ),
    ctx.rules,
  );
}

/** Classifies what actually runs: rules, path arguments, destructive targets and program-specific checks. */
export function classifyInvocation(
  argvIn: readonly string[],
  cwd: string | null,
  ctx: PolicyContext,
  subject: string,
): InvocationResult {
  const out: InvocationResult = { decisions: [], network: false, secretRead: false };
  let argv = [...argvIn];
  const name = baseName(argv[0] ?? '');
  if (name === 'git') {
    const g = normalizeGit(argv, subject);
    argv = g.argv;
    out.decisions.push(...g.findings);
    for (const d of g.dirs) out.decisions.push(shellPathCheck(d, false, cwd, ctx));
  }
  out.decisions.push(ruleDecision(argv, cwd, ctx, subject));
  if (NETWORK_PROGRAMS.has(name)) out.network = true;
  const paths = pathArguments(argv);
  for (const w of paths.writes) {
    if (DELETERS.has(name) && isCriticalTarget(w, cwd, ctx)) {
      out.decisions.push(
        withOverride(
          decide(
            'deny',
            'default:fs-destroy',
            `${name} on "${w.split(DYNAMIC).join('$…')}" would destroy the system, the home directory or the whole project.`,
            subject,
          ),
          ctx.rules,
        ),
      );
    }
    out.decisions.push(shellPathCheck(w, true, cwd, ctx));
  }
  for (const r of paths.reads) {
    const d = shellPathCheck(r, false, cwd, ctx);
    // `ls -la .env` or `find . -name .env` look at names and sizes, not at the secret itself.
    const runsOnMatches = name === 'find' && argv.some((a) => /^-(exec|execdir|ok|okdir)$/.test(a));
    if (d.rule === 'default:secret-read' && METADATA_ONLY.has(name) && !runsOnMatches) continue;
    if (d.rule === 'default:secret-read') out.secretRead = true;
    out.decisions.push(d);
  }
  out.decisions.push(...programChecks(name, argv, ctx, out, subject));
  return out;
}

/** Environment assignments (`FOO=1 cmd`, `env FOO=1 cmd`) that inject code or hide history. */
export function envDecisions(
  env: readonly { name: string; value: string }[],
  ctx: PolicyContext,
  subject: string,
): PolicyDecision[] {
  const out: PolicyDecision[] = [];
  for (const { name } of env) {
    if (INJECTING_ENV.test(name)) {
      out.push(
        withOverride(
          decide(
            'ask',
            'default:env-injection',
            `Setting ${name} changes which code the command loads or runs.`,
            subject,
          ),
          ctx.rules,
        ),
      );
    }
    if (/^HIST(FILE|SIZE|FILESIZE|CONTROL|IGNORE)$/.test(name)) {
      out.push(
        withOverride(
          decide('deny', 'default:history-tampering', `Setting ${name} tampers with shell history.`, subject),
          ctx.rules,
        ),
      );
    }
  }
  return out;
}
