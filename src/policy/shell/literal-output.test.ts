import { describe, expect, it } from 'vitest';
import { literalOutput } from './literal-output.js';
import { DYNAMIC } from './word-value.js';

describe('literalOutput', () => {
  it.each([
    [['echo', 'rm', '-rf', '/'], 'rm -rf /'],
    [['echo', '-n', 'rm'], 'rm'],
    [['echo', '\\x72m'], '\\x72m'],
    [['echo', '-e', '\\x72m'], 'rm'],
    [['echo', '-ne', '\\0162m\\c ignored'], 'rm'],
    [['printf', 'rm'], 'rm'],
    [['printf', '\\x72\\x6d\\x20\\x2d\\x72\\x66\\x20\\x2f'], 'rm -rf /'],
    [['printf', '\\162\\155'], 'rm'],
    [['printf', '%s -rf %s\\n', 'rm', '/'], 'rm -rf /'],
    [['printf', '%s\\n', 'a', 'b', 'c'], 'a\nb\nc'],
    [['printf', '%b', '\\x72m\\c tail'], 'rm'],
    [['printf', '%s', '\\x72m'], '\\x72m'],
    [['printf', '100%%'], '100%'],
    [['printf', '-v', 'x', 'rm'], ''],
  ])('%j prints %j', (argv, printed) => {
    expect(literalOutput(argv)).toBe(printed);
  });

  it('gives up on what it cannot know: other programs, run-time words, other printf directives', () => {
    expect(literalOutput(['cat', 'x'])).toBeNull();
    expect(literalOutput(['echo', `${DYNAMIC}x`])).toBeNull();
    expect(literalOutput(['printf', '%x', '1'])).toBeNull();
    expect(literalOutput(['printf'])).toBeNull();
  });
});
