import type { PolicyDecision } from '../policy/decision.js';
import { strictest } from '../policy/decision.js';
import type { Runtime } from '../runtime.js';
import type { ParsedCommand } from './parsed-command.js';

/**
 * The guard stage: may this command go ahead? Every file the command refers to must pass the
 * path policy for reading (inside the project; secrets need approval), and a mention that names
 * a path outside the project is refused. What the agent then writes or runs is checked per
 * tool call, in the execute stage.
 */
export function guard(parsed: ParsedCommand, rt: Pick<Runtime, 'policy'>): PolicyDecision {
  const decisions = parsed.files.map((file) => rt.policy.checkPath(file, { write: false }));
  for (const mention of parsed.mentions) {
    if (mention.resolved || !looksLikePath(mention.spoken)) continue;
    const check = rt.policy.checkPath(mention.spoken, { write: false });
    if (check.decision === 'deny') decisions.push(check);
  }
  return strictest(decisions, {
    decision: 'allow',
    rule: 'default:command',
    reason: parsed.direct
      ? 'A direct command inside the project.'
      : 'A request for the agent; each tool call is checked again.',
  });
}

function looksLikePath(text: string): boolean {
  return /[/\\~]|^\.\.?$/.test(text);
}
