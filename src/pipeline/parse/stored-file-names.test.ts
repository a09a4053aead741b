import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { compactKey } from '../../command/spoken/spoken-forms.js';
import { createFileMatcher, type FileMatcher } from './file-matcher.js';
import { parseCommand } from './parse-command.js';
import { openStoredFileNames } from './stored-file-names.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-names-'));
  dirs.push(dir);
  return join(dir, 'file-names.db');
}

/** Names a hostile or careless repository can hold: SQL, LIKE wildcards, quotes, unicode, spaces, newlines, dots. */
const HOSTILE = [
  "src/'); DROP TABLE files;--.py",
  'src/100%_done.ts',
  'src/a_b%c\\d.ts',
  'docs/"quoted" name.md',
  'weird/line\nbreak.txt',
  'ünïcödé/日本語.py',
  '日本/x.ts',
  '.env',
  'a/.hidden/.rc',
  `deep/${'very-long-segment-'.repeat(20)}.js`,
  'src/user_auth.py',
  'src/user-auth.py',
  'tests/test_user_auth.py',
  'src/components/UserAvatar.tsx',
  'web/src/app.ts',
  'src/app.ts',
  'README.md',
];

const segment = fc.constantFrom(
  'src',
  'lib',
  'user',
  'auth',
  'User_Auth',
  'app',
  'a-b',
  '%',
  '_',
  "o'k",
  'x y',
  'ü',
  '',
);
const fileName = fc
  .tuple(
    fc.array(fc.constantFrom('user', 'auth', 'app', 'cache', 'Main', '%', '_', 'x'), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.constantFrom('.ts', '.py', '.md', '', '.test.ts'),
  )
  .map(([parts, ext]) => parts.join('_') + ext);
const path = fc
  .tuple(fc.array(segment, { maxLength: 3 }), fileName)
  .map(([ds, name]) => [...ds.filter((d) => d.length > 0), name].join('/'))
  .filter((p) => p.length > 0 && !p.startsWith('.') && !p.endsWith('/'));
const fileList = fc.uniqueArray(fc.oneof(path, fc.constantFrom(...HOSTILE)), { maxLength: 40 });

/** Every lookup both matchers must answer alike, for keys drawn from the files and a few that fit nothing. */
function expectSameAnswers(stored: FileMatcher, memory: FileMatcher, files: readonly string[]): void {
  const keys = new Set<string>(['nothing.py', 'userauth', 'src', 'userauthpy', '%', '_', 'src/userauth.py']);
  for (const f of files) {
    const key = compactKey(f);
    keys.add(key);
    keys.add(key.slice(key.lastIndexOf('/') + 1));
    keys.add(key.replace(/\.[a-z0-9]+$/, ''));
    keys.add(key.slice(0, Math.max(0, key.lastIndexOf('/'))));
    keys.add(`${key.slice(0, -1)}x`);
  }
  for (const key of keys) {
    expect(stored.exact([key]), key).toEqual(memory.exact([key]));
    expect(stored.stem([key]), key).toEqual(memory.stem([key]));
    expect(stored.directories([key]), key).toEqual(memory.directories([key]));
    expect(stored.fuzzy([key]), key).toEqual(memory.fuzzy([key]));
  }
  for (const word of ['user', 'auth', 'src', 'app', 'dot', 'x', 'main', 'cache', 'nothing', 'js', 'db']) {
    expect(stored.knowsWord(word), word).toBe(memory.knowsWord(word));
  }
  for (const ext of ['ts', 'py', 'md', 'rs', 'zzz', ''])
    expect(stored.knowsExtension(ext)).toBe(memory.knowsExtension(ext));
  for (const f of [...files, 'not/a/file.ts']) expect(stored.has(f)).toBe(memory.has(f));
}

describe('openStoredFileNames', () => {
  it('answers every lookup as the in-memory matcher does, hostile names included', () => {
    const names = openStoredFileNames(dbFile());
    names.sync(HOSTILE);
    expectSameAnswers(names.matcher, createFileMatcher(HOSTILE), HOSTILE);
    // The SQL-looking name is a file like any other; the tables are intact.
    expect(names.matcher.exact(['droptablefiles.py']).map((m) => m.path)).toEqual([
      "src/'); DROP TABLE files;--.py",
    ]);
    expect(names.matcher.has('src/app.ts')).toBe(true);
    names.close();
  });

  it('stays equal to a matcher built afresh as the file list changes (update by difference)', () => {
    fc.assert(
      fc.property(fc.array(fileList, { minLength: 1, maxLength: 4 }), (lists) => {
        const names = openStoredFileNames(dbFile());
        try {
          for (const files of lists) {
            const { files: count } = names.sync(files);
            expect(count).toBe(files.length);
            expectSameAnswers(names.matcher, createFileMatcher(files), files);
          }
        } finally {
          names.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('parses commands to the same result as the in-memory matcher', () => {
    const names = openStoredFileNames(dbFile());
    names.sync(HOSTILE);
    const memory = createFileMatcher(HOSTILE);
    for (const text of [
      'show user auth dot py',
      'fix the failing test in user underscore auth dot py, execute',
      'explain the user avatar component',
      'show app dot ts',
      'list files in source',
      'show readme',
      'show user oath dot py',
      'what changed',
    ]) {
      expect(parseCommand(text, { matcher: names.matcher }), text).toEqual(
        parseCommand(text, { matcher: memory }),
      );
    }
    names.close();
  });

  it('replaces a damaged or foreign file with an empty store instead of failing', () => {
    const file = dbFile();
    writeFileSync(file, 'this is not a database, it is garbage '.repeat(200));
    const names = openStoredFileNames(file);
    expect(names.sync(['src/app.ts'])).toEqual({ added: 1, removed: 0, files: 1 });
    expect(names.matcher.exact(['app.ts']).map((m) => m.path)).toEqual(['src/app.ts']);
    names.close();
  });

  it('keeps the names between processes: reopening finds them without a sync', () => {
    const file = dbFile();
    const first = openStoredFileNames(file);
    first.sync(['src/user_auth.py'], { stamp: 'x' });
    first.close();
    const again = openStoredFileNames(file);
    expect(again.getMeta('stamp')).toBe('x');
    expect(again.matcher.exact(['userauth.py']).map((m) => m.path)).toEqual(['src/user_auth.py']);
    expect(again.sync(['src/user_auth.py'])).toEqual({ added: 0, removed: 0, files: 1 });
    again.close();
  });
});
