import type { IgnoredEntries } from './compiled-rules.js';
import { type DecisionKind, decisionRank, type PolicyDecision, strictest } from './decision.js';
import { SECURITY_RULES_PATH } from './load-security-rules.js';
import type { PolicyChecks } from './policy-checks.js';
import type { LooseningRule } from './rules-trust-status.js';
import type { SecurityRules } from './security-rules.js';

/** The rules of an untrusted file without its loosening entries, and the entries left out by position. */
export function withoutLoosening(
  rules: SecurityRules,
  loosening: readonly LooseningRule[],
): { rules: SecurityRules; ignored: IgnoredEntries } {
  const entries = new Set(loosening.map((l) => l.entry));
  const at = (prefix: string) =>
    new Set(
      [...entries]
        .filter((e) => e.startsWith(`${prefix}[`))
        .map((e) => Number(e.slice(prefix.length + 1, -1))),
    );
  const keep = <V>(record: Record<string, V>, prefix: string) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => !entries.has(`${prefix}.${k}`)));
  const outside = at('writable_outside');
  return {
    rules: {
      ...rules,
      tools: keep(rules.tools, 'tools'),
      defaults: keep(rules.defaults, 'defaults'),
      writable_outside: rules.writable_outside.filter((_, i) => !outside.has(i)),
    },
    ignored: { commands: at('commands'), paths: at('paths') },
  };
}

/**
 * The checks of a project whose rules file is not trusted: each answer is the stricter of the
 * file's rules without their loosening entries (`applied`) and the built-in rules alone, so no
 * decision is looser than the built-in rules — also where a combination of entries would loosen
 * what no single entry does. When the file as written (`written`) would decide less strictly,
 * the answer says so and names the rule, so the user knows what `ralex trust` would change.
 */
export function untrustedChecks(parts: {
  applied: PolicyChecks;
  builtin: PolicyChecks;
  written: PolicyChecks;
}): PolicyChecks {
  const { applied, builtin, written } = parts;
  const guard = <D extends PolicyDecision>(ask: (c: PolicyChecks) => D): D => {
    const mine = ask(applied);
    const winner = strictest([mine, ask(builtin)]) as D;
    const asWritten = written === applied ? mine : ask(written);
    if (decisionRank(asWritten.decision) >= decisionRank(winner.decision)) return winner;
    return {
      ...winner,
      reason: `${winner.reason} (${SECURITY_RULES_PATH} would ${verb(asWritten.decision)} by ${asWritten.rule}, but it loosens the built-in rules and is not trusted: run \`ralex trust\` to apply it.)`,
      untrusted: { rule: asWritten.rule, decision: asWritten.decision },
    };
  };
  return {
    checkShell: (command) => guard((c) => c.checkShell(command)),
    checkPath: (path, opts) => guard((c) => c.checkPath(path, opts)),
    checkTool: (tool, args) => guard((c) => c.checkTool(tool, args)),
  };
}

function verb(d: DecisionKind): string {
  return d === 'allow' ? 'allow this' : 'only ask about this';
}
