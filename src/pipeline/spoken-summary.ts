import type { CommandResult } from '../command/command-result.js';

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
  // The baseline taken before a change ("tests (before)") is context, not the verdict: the last run is.
  const last = result.checks.filter((c) => !c.name.endsWith('(before)')).at(-1);
  // A change's verdict says more than the exit code: tests that already failed before may still fail.
  if (last?.verdict)
    parts.push(
      last.verdict.verified
        ? last.ok
          ? 'The tests passed.'
          : 'Verified: nothing that passed before fails now.'
        : 'The tests did not verify it.',
    );
  else if (last)
    parts.push(last.ok ? 'The tests passed.' : `The ${last.name.replace(/ \(attempt \d+\)$/, '')} failed.`);
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
