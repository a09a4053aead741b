import { describe, expect, it } from 'vitest';
import { createFileMatcher } from './file-matcher.js';
import { resolveDirectory, resolveMentions } from './resolve-files.js';
import { tokenize } from './tokens.js';

const FILES = [
  'src/user_auth.py',
  'src/user-auth.py',
  'tests/test_user_auth.py',
  'src/app.ts',
  'web/src/app.ts',
  'src/components/UserAvatar.tsx',
  'README.md',
  'docs/README.md',
];
const matcher = createFileMatcher(FILES);
const mentions = (text: string) => resolveMentions(tokenize(text), matcher).map((m) => m.mention);

describe('createFileMatcher', () => {
  it('finds files by full path, trailing segments and file name, scoring longer paths higher', () => {
    expect(matcher.exact(['src/app.ts'])).toEqual([
      { path: 'src/app.ts', score: 0.97 },
      { path: 'web/src/app.ts', score: 0.95 },
    ]);
    expect(matcher.exact(['app.ts']).map((m) => m.path)).toEqual(['src/app.ts', 'web/src/app.ts']);
    expect(matcher.exact(['userauth.py']).map((m) => m.path)).toEqual([
      'src/user-auth.py',
      'src/user_auth.py',
    ]);
    expect(matcher.exact(['nothing.py'])).toEqual([]);
  });

  it('finds files without their extension, and folders', () => {
    expect(matcher.stem(['useravatar']).map((m) => m.path)).toEqual(['src/components/UserAvatar.tsx']);
    expect(matcher.directories(['src'])).toEqual(['src', 'web/src']);
    expect(matcher.directories(['src/components'])).toEqual(['src/components']);
  });

  it('finds near misses by edit distance, only with the same extension', () => {
    expect(matcher.fuzzy(['useroath.py']).map((m) => m.path)).toContain('src/user_auth.py');
    expect(matcher.fuzzy(['useroath.ts'])).toEqual([]);
    expect(matcher.fuzzy(['ab.py'])).toEqual([]);
  });

  it('knows the words of file names, letters, numbers and spoken abbreviations', () => {
    for (const w of ['user', 'avatar', 'auth', 't', 'two', 'source', 'dot'])
      expect(matcher.knowsWord(w), w).toBe(true);
    for (const w of ['banana', 'please']) expect(matcher.knowsWord(w), w).toBe(false);
  });
});

describe('resolveMentions', () => {
  it('resolves a single fit and asks back when several fit equally', () => {
    expect(mentions('open user avatar dot t s x')).toEqual([
      {
        spoken: 'user avatar dot t s x',
        candidates: ['src/components/UserAvatar.tsx'],
        resolved: 'src/components/UserAvatar.tsx',
      },
    ]);
    expect(mentions('open user auth dot py')).toEqual([
      { spoken: 'user auth dot py', candidates: ['src/user-auth.py', 'src/user_auth.py'], resolved: null },
    ]);
  });

  it('breaks ties by the separators said or typed', () => {
    expect(mentions('open user underscore auth dot py')[0]!.resolved).toBe('src/user_auth.py');
    expect(mentions('open user dash auth dot py')[0]!.resolved).toBe('src/user-auth.py');
    expect(mentions('open user_auth.py')[0]!.resolved).toBe('src/user_auth.py');
  });

  it('prefers the exact typed path, and the root file for a full spoken path', () => {
    expect(mentions('open web/src/app.ts')[0]!.resolved).toBe('web/src/app.ts');
    expect(mentions('open README.md')[0]).toMatchObject({ resolved: 'README.md' });
    expect(mentions('open docs slash readme dot m d')[0]).toMatchObject({ resolved: 'docs/README.md' });
  });

  it('finds several mentions in order, with their token positions', () => {
    const located = resolveMentions(tokenize('compare src/app.ts with test user auth dot py'), matcher);
    expect(located.map((m) => [m.start, m.end, m.mention.resolved])).toEqual([
      [1, 2, 'src/app.ts'],
      [3, 8, 'tests/test_user_auth.py'],
    ]);
  });

  it('resolves folder words', () => {
    expect(resolveDirectory(['source'], matcher)).toEqual(['src', 'web/src']);
    expect(resolveDirectory(['web/src/'], matcher)).toEqual(['web/src']);
    expect(resolveDirectory(['nowhere'], matcher)).toEqual([]);
  });

  it('copes with an empty project', () => {
    const empty = createFileMatcher([]);
    expect(resolveMentions(tokenize('open user auth dot py'), empty).map((m) => m.mention)).toEqual([
      { spoken: 'user auth dot py', candidates: [], resolved: null },
    ]);
  });
});
