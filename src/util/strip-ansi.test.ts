import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from './strip-ansi.js';

describe('stripAnsi', () => {
  it.each([
    ['colours', '\u001b[31m✖ failed\u001b[39m \u001b[1mbold\u001b[22m', '✖ failed bold'],
    ['cursor moves and erase', 'a\u001b[2K\u001b[1Gb\u001b[?25l', 'ab'],
    ['an OSC 8 hyperlink', '\u001b]8;;file:///x\u0007link\u001b]8;;\u0007', 'link'],
    ['CRLF line ends', 'one\r\ntwo\r\n', 'one\ntwo\n'],
    ['a progress line redrawn with CR', 'line 1\n 10%\r 50%\r100%\nend', 'line 1\n100%\nend'],
    ['bell and backspace', 'ding\u0007\u0008!', 'ding!'],
    ['tabs and newlines kept', 'a\tb\nc', 'a\tb\nc'],
  ])('removes %s', (_what, input, expected) => {
    expect(stripAnsi(input)).toBe(expected);
  });

  it('leaves the real coloured output of vitest readable, with no escape character left', () => {
    const coloured = readFileSync(
      new URL('../../test/fixtures/runner-output/vitest-color-mixed.txt', import.meta.url),
      'utf8',
    );
    expect(coloured).toContain('\u001b[');
    const plain = stripAnsi(coloured);
    expect(plain).not.toContain('\u001b');
    expect(plain).toMatch(/Tests {2}2 failed \| 2 passed \| 1 skipped \(5\)/);
  });
});
