import { readFileSync } from 'node:fs';
import type { ModelMessage } from 'ai';
import type { ContextPackage } from './context.js';
import { estimateTokens } from './context.js';
import type { ParsedCommand } from './parsed-command.js';

/** The enhance stage's output: the system prompt and messages the model will see. */
export interface EnhancedPrompt {
  system: string;
  messages: ModelMessage[];
  estimatedTokens: number;
}

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
 * (each item fenced and labelled as data), and the developer's request as said.
 */
export function enhancePrompt(parsed: ParsedCommand, context: ContextPackage): EnhancedPrompt {
  const guidance = INTENT_GUIDANCE[parsed.intent];
  const system = guidance ? `${AGENT_SYSTEM.trim()}\n\nFor this request: ${guidance}` : AGENT_SYSTEM.trim();
  const sections = context.items.map(
    (i) => `<context kind="${i.kind}" source="${i.ref}">\n${i.content}\n</context>`,
  );
  const files = parsed.files.length ? `\nFiles the developer means: ${parsed.files.join(', ')}` : '';
  const ambiguous = parsed.mentions
    .filter((m) => !m.resolved && m.candidates.length > 1)
    .map((m) => `"${m.spoken}" could be ${m.candidates.slice(0, 3).join(' or ')}`);
  const unsure = ambiguous.length ? `\nUnclear file references: ${ambiguous.join('; ')}.` : '';
  const user =
    `${sections.join('\n\n')}\n\nRequest (${parsed.intent}): ${parsed.request}${files}${unsure}`.trim();
  return {
    system,
    messages: [{ role: 'user', content: user }],
    estimatedTokens: estimateTokens(system) + estimateTokens(user),
  };
}
