import { type DecisionKind, decisionRank } from './decision.js';
import { DEFAULT_COMMAND_RULES, DEFAULT_TOOL_DECISIONS } from './default-rules.js';

/**
 * The strictest decision each detector makes with the built-in rules alone, by id. Together with
 * the default command rules and tool baselines this is what a project's `defaults:` entry is
 * compared with to tell whether it loosens the built-in rules (see rule-loosening.ts). A unit
 * test keeps it complete: every `default:*` id in src/policy must be listed here or be a rule.
 */
export const DETECTOR_DECISIONS: Readonly<Record<string, DecisionKind>> = {
  'default:dev-tcp': 'deny',
  'default:download-exec': 'deny',
  'default:fork-bomb': 'deny',
  'default:fs-destroy': 'deny',
  'default:git-config-outside': 'deny',
  'default:history-tampering': 'deny',
  'default:kill-init': 'deny',
  'default:reverse-shell': 'deny',
  'default:secret-exfiltration': 'deny',
  'default:secret-into-command': 'deny',
  'default:dynamic-path': 'ask',
  'default:env-dump': 'ask',
  'default:env-injection': 'ask',
  'default:git-alias': 'ask',
  'default:git-config-exec': 'ask',
  'default:hard-link': 'ask',
  'default:inline-code': 'ask',
  'default:interactive-interpreter': 'ask',
  'default:read-outside-project': 'ask',
  'default:script-exec': 'ask',
  'default:secret-read': 'ask',
  'default:unknown-directory': 'ask',
  'default:unknown-program': 'ask',
  'default:unknown-tool': 'ask',
  'default:write-then-exec': 'ask',
  'default:inside-project': 'allow',
  'default:known-program': 'allow',
  'default:no-op': 'allow',
  'default:not-a-file': 'allow',
  'default:project-script': 'allow',
  'default:special-device': 'allow',
};

/** The id of a tool's default baseline, e.g. `default:tool-delete-file`. */
export function toolRuleId(tool: string): string {
  return `default:tool-${tool.replace(/_/g, '-')}`;
}

/**
 * The strictest decision the built-in rules make under `id` (a default command rule, a tool
 * baseline or a detector); undefined for an id Ralex does not know.
 */
export function builtinDecision(id: string): DecisionKind | undefined {
  let found: DecisionKind | undefined = DETECTOR_DECISIONS[id];
  for (const r of DEFAULT_COMMAND_RULES) {
    if (r.id === id && (found === undefined || decisionRank(r.decision) > decisionRank(found)))
      found = r.decision;
  }
  for (const [tool, d] of Object.entries(DEFAULT_TOOL_DECISIONS)) if (toolRuleId(tool) === id) found = d;
  return found;
}
