import { readFileSync } from 'node:fs';
import type { EnhancedPrompt } from '../command/model-plan.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import { dataId, dataRules, fenceData, neutralizeText } from '../engine/prompts/fence-data.js';
import type { ContextPackage } from './context.js';
import { estimateTokens } from './context.js';

const AGENT_SYSTEM = readFileSync(new URL('../engine/prompts/agent-system.md', import.meta.url), 'utf8');

/** What each intent asks of the agent, added to the request. */
const INTENT_GUIDANCE: Partial<Record<ParsedCommand['intent'], string>> = {
  fix_bug:
    'Find the cause of the problem before proposing a fix; name the failing behaviour and where it comes from.',
  explain: 'Explain for a developer who knows the language but not this code.',
  review: 'Review for correctness first, then clarity; list concrete issues with file:line.',
  refactor: 'Keep behaviour unchanged; say what you would change and why.',
  test: 'Say which behaviours need tests and where the tests belong.',
  question: 'Answer from the project itself; say so when the project does not tell.',
};

/**
 * The enhance stage: Ralex's agent instructions, the intent's guidance, the packed context
 * (each item quoted as data in a fence it cannot close, see engine/prompts/fence-data.ts), and
 * the developer's request on a line marked with an id no quoted text can know.
 */
export function enhancePrompt(parsed: ParsedCommand, context: ContextPackage): EnhancedPrompt {
  const blocks = context.items.map((i) => fenceData({ kind: i.kind, source: i.ref, text: i.content }));
  // Project file names are data too: quoted, with hidden characters shown.
  const name = (path: string) => JSON.stringify(neutralizeText(path));
  const files = parsed.files.length
    ? `\nFiles the developer means: ${parsed.files.map(name).join(', ')}`
    : '';
  const ambiguous = parsed.mentions
    .filter((m) => !m.resolved && m.candidates.length > 1)
    .map((m) => `${name(m.spoken)} could be ${m.candidates.slice(0, 3).map(name).join(' or ')}`);
  const unsure = ambiguous.length ? `\nUnclear file references: ${ambiguous.join('; ')}.` : '';
  const request = `${parsed.request}${files}${unsure}`;
  const requestId = dataId(...blocks, parsed.intent, request);
  const guidance = INTENT_GUIDANCE[parsed.intent];
  const system = [AGENT_SYSTEM.trim(), dataRules(requestId), guidance ? `For this request: ${guidance}` : '']
    .filter(Boolean)
    .join('\n\n');
  const user = [...blocks, `Request ${requestId} (${parsed.intent}): ${request}`].join('\n\n');
  return {
    system,
    messages: [{ role: 'user', content: user }],
    estimatedTokens: estimateTokens(system) + estimateTokens(user),
    requestId,
  };
}
