import { homedir } from 'node:os';
import { toolRuleId } from './builtin-decisions.js';
import {
  baseName,
  type CommandMatcher,
  compileCommandPattern,
  compileCommandRegex,
  compileProgramGlob,
} from './command-pattern.js';
import { decide, type PolicyDecision, strictest } from './decision.js';
import { DEFAULT_COMMAND_RULES, DEFAULT_TOOL_DECISIONS } from './default-rules.js';
import type { RalexCodeInProject } from './ralex-code.js';
import { type SecurityRules, withOverride } from './security-rules.js';

/** Rules compiled once for fast matching, plus what every check needs to know. */
export interface PolicyContext {
  /** Project root, resolved with realpath. */
  projectRoot: string;
  home: string;
  rules: SecurityRules;
  user: { matcher: CommandMatcher; index: number }[];
  /** Entries of `rules.paths` that do not apply (loosening entries of an untrusted file). */
  ignoredPaths: ReadonlySet<number>;
  /** The running Ralex's code inside the project, which no agent tool writes. */
  ralexCode?: RalexCodeInProject;
  /** The default command rules, compiled on first use (once per process: they are the same for every project). */
  readonly defaults: readonly DefaultEntry[];
  /** Default rules that can match a given program name, computed once per name. */
  byProgram: Map<string, { entry: DefaultEntry; matchers: CommandMatcher[] }[]>;
}

interface DefaultEntry {
  id: string;
  decision: PolicyDecision['decision'];
  reason: string;
  patterns: { program: (name: string) => boolean; matcher: CommandMatcher }[];
}

/** Entries of a rules file left out by position, so the others keep their ids (`user:commands[3]`). */
export interface IgnoredEntries {
  commands: ReadonlySet<number>;
  paths: ReadonlySet<number>;
}

/** Compiles the user's and the default command rules; `ignored` entries of `rules` do not apply. */
export function compileRules(
  projectRoot: string,
  rules: SecurityRules,
  home: string = homedir(),
  ignored: IgnoredEntries = { commands: new Set(), paths: new Set() },
  ralexCode?: RalexCodeInProject,
): PolicyContext {
  return {
    projectRoot,
    home,
    rules,
    ralexCode,
    user: rules.commands
      .map((r, index) => ({
        matcher: r.match !== undefined ? compileCommandPattern(r.match) : compileCommandRegex(r.regex!),
        index,
      }))
      .filter((u) => !ignored.commands.has(u.index)),
    ignoredPaths: ignored.paths,
    get defaults() {
      return compiledDefaults();
    },
    byProgram: new Map(),
  };
}

let defaultEntries: DefaultEntry[] | undefined;

/**
 * The default command rules compiled for matching. Lazily: compiling their ~100 globs and
 * patterns took ~40 ms of every process that made a policy, though a `ralex context` or a
 * direct command that runs nothing never matches a command against them.
 */
function compiledDefaults(): DefaultEntry[] {
  defaultEntries ??= DEFAULT_COMMAND_RULES.map((r) => ({
    id: r.id,
    decision: r.decision,
    reason: r.reason,
    patterns: r.match.map((m) => ({ program: compileProgramGlob(m), matcher: compileCommandPattern(m) })),
  }));
  return defaultEntries;
}

/** The last user command rule that matches `argv`, as a decision. */
export function userCommandDecision(
  ctx: PolicyContext,
  argv: readonly string[],
  subject: string,
): PolicyDecision | undefined {
  for (let i = ctx.user.length - 1; i >= 0; i--) {
    const u = ctx.user[i]!;
    if (!u.matcher(argv)) continue;
    const r = ctx.rules.commands[u.index]!;
    const what = r.match ?? `/${r.regex}/`;
    return decide(
      r.decision,
      `user:commands[${u.index}]`,
      r.reason ?? `Project rule "${what}" says ${r.decision}.`,
      subject,
    );
  }
  return undefined;
}

/** The strictest default command rule that matches `argv` (after the user's `defaults` overrides). */
export function defaultCommandDecision(
  ctx: PolicyContext,
  argv: readonly string[],
  subject: string,
): PolicyDecision | undefined {
  const name = baseName(argv[0] ?? '');
  let candidates = ctx.byProgram.get(name);
  if (!candidates) {
    candidates = ctx.defaults
      .map((entry) => ({
        entry,
        matchers: entry.patterns.filter((p) => p.program(name)).map((p) => p.matcher),
      }))
      .filter((c) => c.matchers.length > 0);
    if (ctx.byProgram.size < 4096) ctx.byProgram.set(name, candidates);
  }
  const hits: PolicyDecision[] = [];
  for (const { entry, matchers } of candidates) {
    if (matchers.some((m) => m(argv)))
      hits.push(withOverride(decide(entry.decision, entry.id, entry.reason, subject), ctx.rules));
  }
  return hits.length ? strictest(hits) : undefined;
}

/** The baseline decision for a tool: the user's `tools` entry, else the default. */
export function toolBaseline(ctx: PolicyContext, tool: string): PolicyDecision {
  const user = ctx.rules.tools[tool];
  if (user) return decide(user, `user:tools.${tool}`, `The project's rules set ${tool} to ${user}.`, tool);
  const d = DEFAULT_TOOL_DECISIONS[tool];
  if (d)
    return withOverride(
      decide(
        d,
        toolRuleId(tool),
        d === 'allow' ? `${tool} is allowed by default.` : `${tool} needs approval by default.`,
        tool,
      ),
      ctx.rules,
    );
  return decide(
    'ask',
    'default:unknown-tool',
    `"${tool}" is not a tool Ralex knows, so it needs approval.`,
    tool,
  );
}
