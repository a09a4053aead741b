import picomatch from 'picomatch';
import { isSecretPath } from '../project/secret-files.js';
import { builtinDecision } from './builtin-decisions.js';
import { compileCommandPattern, compileCommandRegex } from './command-pattern.js';
import { compileRules, type PolicyContext } from './compiled-rules.js';
import { type DecisionKind, decisionRank, type PolicyDecision } from './decision.js';
import { DEFAULT_COMMAND_RULES, DEFAULT_TOOL_DECISIONS } from './default-rules.js';
import { globSamples, patternSamples, secretPathSamples } from './rule-samples.js';
import type { LooseningRule } from './rules-trust-status.js';
import { type CommandRule, emptySecurityRules, type PathRule, type SecurityRules } from './security-rules.js';
import { ruleDecision } from './shell/classify-invocation.js';

const looser = (a: DecisionKind, b: DecisionKind) => decisionRank(a) < decisionRank(b);
const asks = (d: DecisionKind) => (d === 'deny' ? 'deny' : 'ask about');

/**
 * The entries of `rules` that loosen the built-in rules. Each entry's decision is compared with
 * what the built-in rules alone decide for the same tool, rule id, command or path:
 * - `tools.<tool>` less strict than the tool's built-in baseline;
 * - `defaults.<id>` less strict than the strictest decision of that built-in rule or detector
 *   (an id Ralex does not know counts unless it is `deny`);
 * - `commands[i]` (not `deny`) matching a command the built-in rules decide more strictly — the
 *   commands of every built-in rule and of the entry's own pattern are tried; a regex that allows
 *   counts always, since what it matches cannot be listed;
 * - `paths[i]` allowing writes (the built-in rules ask before writing a hard-linked file), or
 *   allowing or asking reads of files that may hold secrets (it replaces the built-in secret rules);
 * - every `writable_outside` entry (the built-in rules never write outside the project).
 */
export function findLoosening(rules: SecurityRules, projectRoot = '/nonexistent-project'): LooseningRule[] {
  const out: LooseningRule[] = [];
  for (const [tool, d] of Object.entries(rules.tools)) {
    const builtin = DEFAULT_TOOL_DECISIONS[tool] ?? 'ask';
    if (looser(d, builtin))
      out.push({
        entry: `tools.${tool}`,
        rule: `user:tools.${tool}`,
        words: `tools.${tool}: ${d} — the built-in rules ${asks(builtin)} ${tool} first.`,
      });
  }
  for (const [id, d] of Object.entries(rules.defaults)) {
    const builtin = builtinDecision(id);
    if (looser(d, builtin ?? 'deny')) {
      const why = DEFAULT_COMMAND_RULES.find((r) => r.id === id)?.reason;
      out.push({
        entry: `defaults.${id}`,
        rule: id,
        words: builtin
          ? `defaults.${id}: ${d} — the built-in rule ${builtin === 'deny' ? 'denies' : 'asks'}${why ? ` (${why})` : '.'}`
          : `defaults.${id}: ${d} — Ralex has no built-in rule of that id, so it cannot tell what this lets through.`,
      });
    }
  }
  // The built-in rules are compiled only to try command entries against (~7 ms at start-up).
  const ctx = rules.commands.length ? compileRules(projectRoot, emptySecurityRules()) : null;
  rules.commands.forEach((r, i) => {
    const words = commandLoosening(r, ctx!);
    if (words)
      out.push({ entry: `commands[${i}]`, rule: `user:commands[${i}]`, words: `commands[${i}] ${words}` });
  });
  rules.paths.forEach((r, i) => {
    const words = pathLoosening(r);
    if (words) out.push({ entry: `paths[${i}]`, rule: `user:paths[${i}]`, words: `paths[${i}] ${words}` });
  });
  for (const [i, g] of rules.writable_outside.entries()) {
    out.push({
      entry: `writable_outside[${i}]`,
      rule: 'user:writable_outside',
      words: `writable_outside[${i}] ("${g}") lets commands write outside the project; the built-in rules never do.`,
    });
  }
  return out;
}

function commandLoosening(r: CommandRule, builtinCtx: PolicyContext): string | null {
  if (r.decision === 'deny') return null;
  const what = r.match !== undefined ? `"${r.match}"` : `/${r.regex}/`;
  if (r.regex !== undefined && r.decision === 'allow')
    return `(${what}: allow) allows whatever the regular expression matches; Ralex cannot list that, so it counts as loosening.`;
  const matcher = r.match !== undefined ? compileCommandPattern(r.match) : compileCommandRegex(r.regex!);
  const tried = [...defaultSamples(), ...(r.match ? patternSamples(r.match) : [])];
  let worst: { argv: string[]; d: PolicyDecision } | undefined;
  for (const argv of tried) {
    if (!matcher(argv)) continue;
    const d = ruleDecision(argv, builtinCtx.projectRoot, builtinCtx, argv.join(' '));
    if (
      looser(r.decision, d.decision) &&
      (!worst || decisionRank(d.decision) > decisionRank(worst.d.decision))
    )
      worst = { argv, d };
  }
  if (!worst) return null;
  return `(${what}: ${r.decision}) ${r.decision === 'allow' ? 'allows' : 'only asks about'} commands the built-in rules ${asks(worst.d.decision)}, such as "${worst.argv.join(' ')}" (${worst.d.rule}).`;
}

function pathLoosening(r: PathRule): string | null {
  if (r.decision === 'deny') return null;
  const what = `("${r.glob}", ${r.access}: ${r.decision})`;
  const reads = r.access !== 'write';
  const secret = reads ? secretMatch(r.glob) : undefined;
  if (secret)
    return r.decision === 'allow'
      ? `${what} allows reading files that may hold secrets, such as "${secret}", without approval.`
      : `${what} replaces the built-in rules for files that may hold secrets, such as "${secret}" (never piped into another command or to the network).`;
  if (r.decision === 'allow' && r.access !== 'read')
    return `${what} allows writing files that are hard-linked elsewhere without approval.`;
  return null;
}

/** A secret-looking path the glob matches, if any. */
function secretMatch(glob: string): string | undefined {
  const matches = picomatch(glob, { dot: true });
  const own = globSamples(glob).find((p) => isSecretPath(p));
  if (own) return own;
  const prefix = /^[^*?[{]*\//.exec(glob)?.[0] ?? '';
  return secretPathSamples()
    .flatMap((p) => (prefix ? [p, prefix + p] : [p]))
    .find((p) => matches(p));
}

let samples: string[][] | undefined;

/** The commands every built-in rule is about, as concrete argv (computed once). */
function defaultSamples(): string[][] {
  samples ??= DEFAULT_COMMAND_RULES.flatMap((r) => r.match.flatMap(patternSamples));
  return samples;
}
