import { describe, expect, it } from 'vitest';
import { compactKey, splitNameWords, spokenFormsOfPath, spokenKeys } from './spoken-forms.js';

describe('spokenFormsOfPath', () => {
  it.each([
    [
      'src/user_auth.py',
      ['user auth dot py', 'source slash user auth dot py', 'user underscore auth dot py'],
    ],
    ['src/app.ts', ['app dot t s', 'source slash app dot t s']],
    ['README.md', ['readme dot m d', 'readme dot markdown']],
    ['lib/v2/apiClient.js', ['a p i client dot j s', 'lib slash v two slash a p i client dot j s']],
    ['.github/workflows/ci.yml', ['c i dot yaml', 'dot github slash workflows slash c i dot yaml']],
    ['db/migrations/0042_add_users.sql', ['oh oh four two add users dot sequel']],
    ['src/components/UserAvatar.tsx', ['user avatar dot t s x', 'components slash user avatar dot t s x']],
  ])('%s is said as %j (among others)', (path, expected) => {
    const forms = spokenFormsOfPath(path);
    expect(forms[0]).toBe(expected[0]);
    for (const form of expected) expect(forms).toContain(form);
  });

  it('puts the file name first, gives words only, and is bounded', () => {
    const forms = spokenFormsOfPath('src/pipeline/parse/spoken-forms.ts', { max: 4 });
    expect(forms[0]).toBe('spoken forms dot t s');
    expect(forms).toHaveLength(4);
    for (const f of spokenFormsOfPath('lib/v2/apiClient_3.js')) expect(f).toMatch(/^[a-z ]+$/);
  });

  it('handles dot files, bare names and empty input', () => {
    expect(spokenFormsOfPath('.env')).toEqual(['dot env']);
    expect(spokenFormsOfPath('Makefile')).toEqual(['makefile']);
    expect(spokenFormsOfPath('')).toEqual([]);
  });
});

describe('spokenKeys', () => {
  it.each([
    ['source slash app dot t s', 'src/app.ts'],
    ['user auth dot pie', 'userauth.py'],
    ['user underscore auth dot py', 'userauth.py'],
    ['lib slash v two slash a p i client dot j s', 'lib/v2/apiclient.js'],
    ['config dot yaml', 'config.yml'],
    ['capital r readme dot markdown', 'rreadme.md'],
    ['route forward slash index dot j s', 'route/index.js'],
    ['four oh four page dot html', '404page.html'],
    ['tests slash login dot spec dot t s', 'test/login.spec.ts'],
  ])('%s → includes %s', (spoken, key) => {
    expect(spokenKeys(spoken.split(' '))).toContain(key);
  });

  it('stays bounded when every word has alternatives', () => {
    expect(
      spokenKeys('source library tests utilities two three dot yaml'.split(' ')).length,
    ).toBeLessThanOrEqual(16);
  });
});

describe('round trip: every spoken form of a path maps back to a key of that path', () => {
  const paths = [
    'src/user_auth.py',
    'tests/test_user_auth.py',
    'src/pipeline/parse/spoken-forms.ts',
    'lib/v2/apiClient.js',
    'db/migrations/0042_add_users.sql',
    '.github/workflows/ci.yml',
    'web/src/components/UserAvatar.svelte',
    'docs/getting-started.md',
    'package.json',
  ];
  it.each(paths)('%s', (path) => {
    const segments = path.split('/');
    const base = segments[segments.length - 1]!;
    const accepted = new Set([
      ...segments.map((_, i) => compactKey(segments.slice(i).join('/'))),
      compactKey(base.slice(0, base.lastIndexOf('.') > 0 ? base.lastIndexOf('.') : undefined)),
    ]);
    for (const form of spokenFormsOfPath(path, { max: 50 })) {
      const keys = spokenKeys(form.split(' '));
      expect(
        keys.some((k) => accepted.has(k)),
        `${form} → ${keys.join(', ')}`,
      ).toBe(true);
    }
  });
});

describe('helpers', () => {
  it('splits names into words and compacts keys', () => {
    expect(splitNameWords('getHTTPUrl_v2')).toEqual(['get', 'http', 'url', 'v', '2']);
    expect(compactKey('src/User_Auth-x.py')).toBe('src/userauthx.py');
  });
});
