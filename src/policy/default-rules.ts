import type { DecisionKind } from './decision.js';
import { DEFAULT_ASK_RULES } from './default-ask-rules.js';
import { DEFAULT_DENY_RULES } from './default-deny-rules.js';

/** A default rule for shell commands: token patterns (see command-pattern.ts), a decision and why. */
export interface DefaultCommandRule {
  /** Stable id, `default:...`; users change its decision with `defaults:` in security_rules.yaml. */
  id: string;
  match: readonly string[];
  decision: DecisionKind;
  reason: string;
}

/** Baseline decision per agent tool: reading, listing, searching and writing in the project are fine; deleting asks. */
export const DEFAULT_TOOL_DECISIONS: Readonly<Record<string, DecisionKind>> = {
  read_file: 'allow',
  list_directory: 'allow',
  search_files: 'allow',
  write_file: 'allow',
  edit_file: 'allow',
  delete_file: 'ask',
  run_command: 'allow',
};

/** The default shell rules. Among matching defaults the strictest wins. */
export const DEFAULT_COMMAND_RULES: readonly DefaultCommandRule[] = [
  ...DEFAULT_DENY_RULES,
  ...DEFAULT_ASK_RULES,
];
