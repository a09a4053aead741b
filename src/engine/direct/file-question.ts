import type { ParsedCommand } from '../../command/parsed-command.js';
import type { DirectOutcome } from './direct-action.js';

/**
 * When a command needs a file that did not resolve: ask back which one (several fit) or say
 * what was not found. Null when the command has its file.
 */
export function fileQuestion(parsed: ParsedCommand, verb: string): DirectOutcome | null {
  if (parsed.files.length) return null;
  const ambiguous = parsed.mentions.find((m) => !m.resolved && m.candidates.length > 1);
  if (ambiguous) {
    const options = ambiguous.candidates.slice(0, 5);
    return {
      status: 'needs_input',
      reply: `Which file did you mean by "${ambiguous.spoken}"?\n${options.map((c) => `- \`${c}\``).join('\n')}`,
      spoken: `Which one: ${options.slice(0, 3).join(', or ')}?`,
      files: options,
    };
  }
  const missing = parsed.mentions[0];
  return {
    status: 'failed',
    reply: missing
      ? `I could not find "${missing.spoken}" in this project. Say the file name again, or type its path.`
      : `Which file should I ${verb}? Name it, for example "${verb} readme dot md".`,
    spoken: missing ? `I could not find ${missing.spoken}.` : `Which file should I ${verb}?`,
  };
}
