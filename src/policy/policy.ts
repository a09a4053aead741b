import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { RalexError } from '../errors.js';
import { compileRules } from './compiled-rules.js';
import type { PolicyDecision } from './decision.js';
import { SECURITY_RULES_PATH } from './load-security-rules.js';
import type { PathDecision } from './path/check-path.js';
import { createPolicyChecks, type PolicyChecks, type ShellDecision } from './policy-checks.js';
import { ralexCodeIn } from './ralex-code.js';
import { findLoosening } from './rule-loosening.js';
import { loadProjectRules, type ProjectRules, type RulesTrust } from './rules-trust.js';
import { emptySecurityRules, type SecurityRules } from './security-rules.js';
import { loadShellParser, type ShellParser } from './shell/shell-parser.js';
import { untrustedChecks, withoutLoosening } from './untrusted-rules.js';

export type { ShellDecision } from './policy-checks.js';

/** The permission policy every guard stage and agent tool call goes through. */
export interface Policy {
  /** The project root (realpath) the policy protects. */
  readonly projectRoot: string;
  /** The project's rules as written (see `trust` for how far they apply). */
  readonly rules: SecurityRules;
  /** Whether the project's rules file is trusted, and which of its entries loosen the built-in rules. */
  readonly trust: RulesTrust;
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
  /**
   * Rules given by the caller apply in full. When omitted, `.ralex/config/security_rules.yaml`
   * is read with its trust status: until the user trusts that file, its loosening entries are
   * ignored and no decision is looser than the built-in rules.
   */
  rules?: SecurityRules;
  /** Where trust decisions are kept (when `rules` is omitted); default `defaultTrustFile()`. */
  trustFile?: string;
  /** Home directory used for `~` (injectable for tests). */
  home?: string;
  /** Package roots of the running Ralex, whose code no agent tool writes (default: found from the running code; injectable for tests). */
  ralexInstalls?: readonly string[];
  /**
   * `now` (default): the bash parser is loaded before the policy is returned. `on-demand`: it is
   * loaded by the first `ready()`, so a process that never checks a shell command (a direct
   * command, an idle server) never pays its time and memory.
   */
  shellParser?: 'now' | 'on-demand';
}

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
  const project: ProjectRules = options.rules
    ? { rules: options.rules, trust: givenRules(options.rules, projectRoot) }
    : loadProjectRules(projectRoot, { trustFile: options.trustFile });
  const home = options.home ?? homedir();
  const ralexCode = ralexCodeIn(projectRoot, options.ralexInstalls);
  const checks = (rules: SecurityRules, ignored?: Parameters<typeof compileRules>[3]): PolicyChecks =>
    createPolicyChecks(
      compileRules(projectRoot, rules, home, ignored, ralexCode),
      () => parser,
      () => void ready(),
    );
  const written = checks(project.rules);
  let active = written;
  if (project.trust.state === 'untrusted') {
    const tight = withoutLoosening(project.rules, project.trust.loosening);
    active = untrustedChecks({
      applied: project.trust.loosening.length ? checks(tight.rules, tight.ignored) : written,
      builtin: checks(emptySecurityRules()),
      written,
    });
  }
  return { projectRoot, rules: project.rules, trust: project.trust, ...active, ready };
}

/** Rules handed over in code are the caller's own decision: they apply in full. */
function givenRules(rules: SecurityRules, projectRoot: string): RulesTrust {
  return {
    file: SECURITY_RULES_PATH,
    state: 'trusted',
    sha256: null,
    loosening: findLoosening(rules, projectRoot),
    message: 'The rules were given by the caller and apply in full.',
  };
}
