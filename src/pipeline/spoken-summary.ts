import type { CommandResult } from './command-result.js';

const MAX_SPOKEN = 220;

/**
 * One or two sentences to say aloud about a result: what happened, whether checks passed,
 * what needs the user. Markdown, code and paths are kept out of what is spoken.
 */
export function spokenSummary(
  result: Pick<CommandResult, 'status' | 'reply' | 'checks' | 'filesChanged' | 'error'>,
): string {
  if (result.error) return trim(`That failed: ${result.error.message}`);
  const parts: string[] = [];
  if (result.filesChanged.length) {
    parts.push(`Changed ${result.filesChanged.length} file${result.filesChanged.length === 1 ? '' : 's'}.`);
  }
  const failed = result.checks.filter((c) => !c.ok);
  if (result.checks.length)
    parts.push(failed.length ? `${failed.map((c) => c.name).join(' and ')} failed.` : 'Checks passed.');
  if (!parts.length) parts.push(firstSentence(result.reply));
  return trim(parts.join(' '));
}

function firstSentence(markdown: string): string {
  const plain = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/[#*_>|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const match = plain.match(/^.*?[.!?](\s|$)/);
  return (match ? match[0] : plain).trim();
}

function trim(text: string): string {
  return text.length > MAX_SPOKEN ? `${text.slice(0, MAX_SPOKEN - 1).trimEnd()}…` : text;
}
