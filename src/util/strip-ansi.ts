import { stripVTControlCharacters } from 'node:util';

/** C0 control characters other than tab and newline (bell, backspace, form feed, escape left over…). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Terminal output as plain text: ANSI escape sequences (colours, cursor moves, hyperlinks)
 * removed, a line redrawn with carriage returns kept as it finally showed, other control
 * characters dropped. For anything a runner or a command printed that Ralex shows or parses.
 */
export function stripAnsi(text: string): string {
  const plain = stripVTControlCharacters(text).replace(/\r\n/g, '\n');
  const lines = plain.includes('\r') ? plain.split('\n').map(lastRedraw) : null;
  return (lines ? lines.join('\n') : plain).replace(CONTROL, '');
}

/** What a terminal shows of a line redrawn with `\r`: the last non-empty redraw. */
function lastRedraw(line: string): string {
  if (!line.includes('\r')) return line;
  const parts = line.split('\r').filter((part) => part.length > 0);
  return parts.at(-1) ?? '';
}
