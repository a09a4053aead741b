import type { ParsedCommand } from '../../command/parsed-command.js';

const TYPE_OF_INTENT: Partial<Record<ParsedCommand['intent'], string>> = {
  fix_bug: 'fix',
  implement: 'feat',
  refactor: 'refactor',
  test: 'test',
};
const LEADING_VERB =
  /^(please\s+)?(fix|fixes|fixed|add|adds|implement|create|make|write|refactor|clean\s+up|update|change|rename|remove|delete)\s+/i;
const MAX_SUBJECT = 72;

/**
 * A conventional commit message for a command's change: `fix: …`, `feat: …`, `docs: …`,
 * `test: …`, with the files and where it came from in the body.
 */
export function commitMessage(
  parsed: ParsedCommand,
  files: readonly string[],
  origin: { commandId: string; model: string | null },
): string {
  const type =
    files.length && files.every((f) => /\.(md|mdx|rst|txt)$/i.test(f))
      ? 'docs'
      : files.length &&
          files.every((f) => /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.\w+$|(^|\/)test_[^/]+$/.test(f))
        ? 'test'
        : (TYPE_OF_INTENT[parsed.intent] ?? 'chore');
  let subject = parsed.request
    .replace(LEADING_VERB, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!]+$/, '');
  subject = subject.charAt(0).toLowerCase() + subject.slice(1);
  if (subject.length > MAX_SUBJECT - type.length - 2)
    subject = `${subject.slice(0, MAX_SUBJECT - type.length - 3).trimEnd()}…`;
  const body = [
    `Files: ${files.join(', ')}`,
    '',
    `Requested by voice/text in Ralex: "${parsed.text.trim()}"`,
    `Ralex command ${origin.commandId}${origin.model ? `, model ${origin.model}` : ''}.`,
  ];
  return `${type}: ${subject || 'change made by Ralex'}\n\n${body.join('\n')}\n`;
}
