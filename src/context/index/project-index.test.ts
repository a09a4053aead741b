import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { analyseFile } from './index-file.js';
import { listProjectFiles } from './project-files.js';
import { INDEX_FILE, openProjectIndex, type ProjectIndex } from './project-index.js';
import { loadSymbolParser } from './symbol-parser.js';

const SOURCES: Record<string, string> = {
  'src/cache/lru-cache.ts':
    'export class LRUCache<K, V> {\n  evict(): void {\n    this.map.delete(this.oldest());\n  }\n}\nexport function makeCache() { return new LRUCache(); }\n',
  'app/user_auth.py':
    'class UserAuth:\n    def check_password(self, pw):\n        return hash_pw(pw)\n\ndef hash_pw(pw):\n    return pw\n',
  'cmd/server.go':
    'package main\n\ntype Server struct{}\n\nfunc (s *Server) Serve() {}\n\nfunc NewServer() *Server { return &Server{} }\n',
  'lib/parse.rs':
    'pub struct Token;\npub trait Lexer { fn next(&mut self) -> Token; }\npub fn tokenize(s: &str) -> Vec<Token> { vec![] }\n',
  'src/main/java/App.java':
    'public class App {\n  public static void main(String[] args) { new LRUCache(); }\n}\n',
  'lib/greeter.rb':
    'module Greeting\n  class Greeter\n    def greet(name)\n      "hi #{name}"\n    end\n  end\nend\n',
  'okio/src/jvmMain/kotlin/okio/Buffer.kt':
    'package okio\n\nactual class Buffer : BufferedSource {\n  actual fun readUtf8(): String {\n    return commonReadUtf8()\n  }\n}\n\ninternal fun Buffer.commonReadUtf8(): String = ""\n',
  'lib/phoenix/router.ex':
    'defmodule Phoenix.Router do\n  @moduledoc """\n  defmodule MyApp.Router do\n  """\n  def match_route(conn), do: conn\n\n  defp build(opts) do\n    opts\n  end\nend\n',
  'README.md': '# Demo\n\nA project about caches and user authentication.\n',
  '.gitignore': 'ignored/\n.ralex/state/\n',
};

/** Moves the mtimes of `paths` a minute back, as if written long before the index reads them. */
function settle(dir: string, paths: string[]): void {
  const past = new Date(Date.now() - 60_000);
  for (const p of paths) utimesSync(join(dir, p), past, past);
}

/** Moves every file's and folder's mtime (and git's index's) a minute back, `.ralex/` aside. */
function settleTree(dir: string, past = new Date(Date.now() - 60_000)): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.ralex' || (e.name === '.git' && e.isDirectory())) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) settleTree(path, past);
    utimesSync(path, past, past);
  }
  utimesSync(dir, past, past);
}

describe('project index', () => {
  let repo: TempGitRepo;
  let index: ProjectIndex | undefined;
  afterEach(async () => {
    index?.close();
    index = undefined;
    await repo?.cleanup();
  });

  it('indexes tracked and untracked files, never ignored ones or .ralex/, with symbols for each language', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    await repo.write('notes/untracked.md', 'eviction policy notes\n');
    await repo.write('ignored/secret.ts', 'export const hidden = 1;\n');
    await repo.write('.ralex/context/user_patterns.md', '- prefers pytest\n');
    index = openProjectIndex(repo.dir);
    const u = await index.update();
    expect(u.rebuilt).toBeNull();
    const q = index.queries();
    expect(q.file('notes/untracked.md')?.content).toBe('indexed');
    expect(q.file('ignored/secret.ts')).toBeUndefined();
    expect(q.file('.ralex/context/user_patterns.md')).toBeUndefined();
    const defs = (path: string) => q.definitionsIn(q.file(path)!.id).map((d) => `${d.kind}:${d.name}`);
    expect(defs('src/cache/lru-cache.ts')).toEqual(['class:LRUCache', 'method:evict', 'function:makeCache']);
    expect(defs('app/user_auth.py')).toEqual([
      'class:UserAuth',
      'function:check_password',
      'function:hash_pw',
    ]);
    expect(defs('cmd/server.go')).toEqual(['type:Server', 'method:Serve', 'function:NewServer']);
    expect(defs('lib/parse.rs')).toEqual([
      'class:Token',
      'interface:Lexer',
      'function:next',
      'function:tokenize',
    ]);
    expect(defs('src/main/java/App.java')).toEqual(['class:App', 'method:main']);
    expect(defs('lib/greeter.rb')).toEqual(['module:Greeting', 'class:Greeter', 'method:greet']);
    // No grammar for Kotlin or Elixir: their definitions come from their keywords (pattern-symbols.ts).
    expect(defs('okio/src/jvmMain/kotlin/okio/Buffer.kt')).toEqual([
      'class:Buffer',
      'function:readUtf8',
      'function:commonReadUtf8',
    ]);
    expect(defs('lib/phoenix/router.ex')).toEqual([
      'module:Router',
      'function:match_route',
      'function:build',
    ]);
    expect(q.definitionsNamed(['commonReadUtf8']).map((d) => d.path)).toEqual([
      'okio/src/jvmMain/kotlin/okio/Buffer.kt',
    ]);
    // App.java uses LRUCache, which lru-cache.ts defines: an edge of the symbol graph.
    const app = q.file('src/main/java/App.java')!;
    expect([...q.referencedFiles(app.id).keys()]).toContain(q.file('src/cache/lru-cache.ts')!.id);
    expect([...q.referencingFiles(q.file('src/cache/lru-cache.ts')!.id).keys()]).toContain(app.id);
    // Identifiers are split for search: "evict" and "lru" find the cache file.
    const hits = q.searchChunks(['evict', 'lru'], 10).map((h) => h.path);
    expect(hits[0]).toBe('src/cache/lru-cache.ts');
  });

  it('updates only what changed: an edit, a new file, a deletion', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    settle(repo.dir, Object.keys(SOURCES));
    index = openProjectIndex(repo.dir);
    const first = await index.update();
    expect(first.updated).toBe(Object.keys(SOURCES).length);
    expect((await index.update()).updated).toBe(0);
    await repo.write(
      'app/user_auth.py',
      `${SOURCES['app/user_auth.py']}\ndef reset_password(user):\n    pass\n`,
    );
    await repo.write('app/new_module.py', 'def brand_new():\n    pass\n');
    await rm(join(repo.dir, 'lib/greeter.rb'));
    const u = await index.update();
    expect(u.updated).toBe(2);
    expect(u.removed).toBe(1);
    const q = index.queries();
    expect(q.definitionsNamed(['reset_password']).map((d) => d.path)).toEqual(['app/user_auth.py']);
    expect(q.definitionsNamed(['brand_new']).map((d) => d.path)).toEqual(['app/new_module.py']);
    expect(q.file('lib/greeter.rb')).toBeUndefined();
    expect(q.definitionsNamed(['Greeter'])).toEqual([]);
  });

  it('scores words after many edits and deletions as an index built afresh does (bm25 counts only the rows there are)', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    index = openProjectIndex(repo.dir);
    await index.update();
    // Each edit re-indexes the file: its old rows are deleted, new ones written.
    for (let i = 0; i < 8; i++) {
      await repo.write(
        'app/user_auth.py',
        `${SOURCES['app/user_auth.py']}\ndef extra_${i}(pw):\n    return pw\n`,
      );
      await repo.write(`notes/draft_${i}.md`, `cache eviction draft ${i}\n`);
      await index.update();
      await rm(join(repo.dir, `notes/draft_${i}.md`));
      await index.update();
    }
    const other = await createTempGitRepo({ files: SOURCES });
    try {
      await other.write('app/user_auth.py', await readFile(join(repo.dir, 'app/user_auth.py'), 'utf8'));
      const fresh = openProjectIndex(other.dir);
      await fresh.update();
      for (const terms of [['cache', 'evict'], ['password'], ['user', 'auth', 'server']]) {
        const walked = index
          .queries()
          .searchChunks(terms, 10)
          .map((h) => [h.path, h.score.toFixed(6)]);
        const made = fresh
          .queries()
          .searchChunks(terms, 10)
          .map((h) => [h.path, h.score.toFixed(6)]);
        expect(walked.length).toBeGreaterThan(0);
        expect(walked).toEqual(made);
      }
      fresh.close();
    } finally {
      await other.cleanup();
    }
  });

  it("scores a word most chunks have under Lucene's idf (FTS5's gives it nothing), and agrees with FTS5 on the order of rare words", async () => {
    // "route" is in every file of a router; the request is made of it and one rarer word.
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++)
      files[`src/route_${i}.ts`] = `export function route${i}() { return 'route ${i}'; }\n`;
    files['src/route_match.ts'] = 'export function matchRoute(path) { return route(path).match; }\n';
    repo = await createTempGitRepo({ files });
    index = openProjectIndex(repo.dir);
    await index.update();
    const q = index.queries();
    const fts5 = q.searchChunks(['route'], 10, undefined, 'fts5');
    const lucene = q.searchChunks(['route'], 10, undefined, 'lucene');
    expect(fts5.length).toBe(7);
    expect(Math.max(...fts5.map((h) => h.score))).toBeLessThan(1e-4);
    expect(lucene.length).toBe(7);
    expect(Math.min(...lucene.map((h) => h.score))).toBeGreaterThan(0.01);
    // With a rare word the file that has both comes first either way, and the scores are sums
    // over the words: the rare word's part is FTS5's times the ratio of the two idfs.
    const both = (idf: 'fts5' | 'lucene') =>
      q.searchChunks(['route', 'match'], 10, undefined, idf).map((h) => h.path);
    expect(both('fts5')[0]).toBe('src/route_match.ts');
    expect(both('lucene')[0]).toBe('src/route_match.ts');
    const matchOnly = (idf: 'fts5' | 'lucene') => q.searchChunks(['match'], 1, undefined, idf)[0]!.score;
    const ratio = (7 - 1 + 0.5) / (1 + 0.5);
    expect(matchOnly('lucene') / matchOnly('fts5')).toBeCloseTo(Math.log(1 + ratio) / Math.log(ratio), 6);
  });

  it('lists the files with git again only when git would list others (its stamps changed); edits are seen either way', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    index = openProjectIndex(repo.dir);
    const past = new Date(Date.now() - 60_000);
    settleTree(repo.dir, past);
    for (const f of ['index', 'info/exclude']) utimesSync(join(repo.dir, '.git', f), past, past);
    expect((await index.update()).updated).toBe(Object.keys(SOURCES).length);
    // An edit changes the file's mtime, not its folder's: seen by its stat, without a listing.
    await repo.write(
      'app/user_auth.py',
      `${SOURCES['app/user_auth.py']}\ndef reset_password(user):\n    pass\n`,
    );
    // (its mtime put a little back, so the read is not racy and the file not read again next time)
    const edited = new Date(Date.now() - 30_000);
    utimesSync(join(repo.dir, 'app/user_auth.py'), edited, edited);
    expect((await index.update()).updated).toBe(1);
    expect(index.queries().definitionsNamed(['reset_password'])).toHaveLength(1);
    // The stamps are trusted: a file added while its folder's mtime is put back is not listed…
    await repo.write('app/hidden.py', 'def hidden():\n    pass\n');
    utimesSync(join(repo.dir, 'app'), past, past);
    expect((await index.update()).updated).toBe(0);
    expect(index.queries().file('app/hidden.py')).toBeUndefined();
    // …until the folder changes, as it does when a file is added, removed or renamed in it.
    await rm(join(repo.dir, 'lib/greeter.rb'));
    utimesSync(join(repo.dir, 'app'), new Date(), new Date());
    const u = await index.update();
    expect(u.removed).toBe(1);
    expect(index.queries().file('app/hidden.py')?.content).toBe('indexed');
  });

  it('with a watcher, later updates read only the files that changed', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    index = openProjectIndex(repo.dir, { watch: true });
    await index.update();
    await index.update(); // the full scan that follows the watch start
    await repo.write(
      'src/cache/lru-cache.ts',
      `${SOURCES['src/cache/lru-cache.ts']}export function clearAll() {}\n`,
    );
    await repo.write('src/cache/fresh.ts', 'export function freshlyAdded() {}\n');
    await new Promise((r) => setTimeout(r, 150));
    const u = await index.update();
    expect(u.updated).toBe(2);
    expect(
      index
        .queries()
        .definitionsNamed(['clearAll', 'freshlyAdded'])
        .map((d) => d.path)
        .sort(),
    ).toEqual(['src/cache/fresh.ts', 'src/cache/lru-cache.ts']);
  });

  it('keeps binary, huge, minified and generated files by name only', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    writeFileSync(join(repo.dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
    await repo.write('data/blob.ts', `export const x = 1;\n${'// padding\n'.repeat(60_000)}`);
    await repo.write('web/app.js', `var a=${'1+'.repeat(5000)}1;`.repeat(3));
    await repo.write('web/vendor.min.js', 'function a(){}');
    await repo.write(
      'gen/api.go',
      '// Code generated by protoc. DO NOT EDIT.\npackage gen\nfunc Generated() {}\n',
    );
    await repo.write('package-lock.json', '{}');
    index = openProjectIndex(repo.dir);
    const u = await index.update();
    const q = index.queries();
    expect(q.file('logo.png')?.content).toBe('binary');
    expect(q.file('data/blob.ts')?.content).toBe('huge');
    expect(q.file('web/app.js')?.content).toBe('minified');
    expect(q.file('web/vendor.min.js')?.content).toBe('generated');
    expect(q.file('gen/api.go')?.content).toBe('generated');
    expect(q.file('package-lock.json')?.content).toBe('generated');
    expect(u.nameOnly).toBe(6);
    // By name they are still found.
    expect(q.searchChunks(['logo'], 5).map((h) => h.path)).toContain('logo.png');
    expect(q.definitionsNamed(['Generated'])).toEqual([]);
  });

  it('counts a file that cannot be read and goes on', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    const gone = await analyseFile(repo.dir, { path: 'vanished.ts', size: 10, mtimeMs: 1 }, loadSymbolParser);
    expect(gone.content).toBe('unreadable');
    expect(gone.defs).toEqual([]);
  });

  it('rebuilds a corrupt index with a message instead of failing', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    index = openProjectIndex(repo.dir);
    await index.update();
    index.close();
    await writeFile(join(repo.dir, '.ralex', 'state', INDEX_FILE), 'this is not a database'.repeat(500));
    const messages: string[] = [];
    index = openProjectIndex(repo.dir, { onRebuild: (m) => messages.push(m) });
    const u = await index.update();
    expect(u.rebuilt).toMatch(/could not be read/);
    expect(messages).toHaveLength(1);
    expect(u.updated).toBe(Object.keys(SOURCES).length);
    expect(index.queries().definitionsNamed(['LRUCache'])).toHaveLength(1);
  });

  it('treats search syntax in the words as text', async () => {
    repo = await createTempGitRepo({ files: SOURCES });
    index = openProjectIndex(repo.dir);
    await index.update();
    const q = index.queries();
    for (const term of ['"', 'NOT', '*', 'a"b', 'NEAR(', '-x', '^'])
      expect(() => q.searchChunks([term], 5)).not.toThrow();
  });

  it('lists every file of a project larger than 100,000 files (the old silent cap), names in any script whole', async () => {
    repo = await createTempGitRepo({ files: { '.gitignore': 'build/\n' } });
    // 100,500 untracked files in 201 folders, every name with multi-byte characters so the
    // streamed listing's chunks end inside one many times; plus ignored ones that must not count.
    const expected = new Set<string>(['.gitignore']);
    for (let d = 0; d < 201; d++) {
      const dir = `pkg-${d}/modülé`;
      mkdirSync(join(repo.dir, dir), { recursive: true });
      for (let i = 0; i < 500; i++) {
        const path = `${dir}/fïle-${i}-数据.txt`;
        writeFileSync(join(repo.dir, path), '');
        expected.add(path);
      }
    }
    mkdirSync(join(repo.dir, 'build'));
    for (let i = 0; i < 50; i++) writeFileSync(join(repo.dir, 'build', `out-${i}.js`), '');

    const listed = await listProjectFiles(repo.dir);
    expect(listed.leftOut).toBe(0);
    expect(listed.files.length).toBe(expected.size);
    expect(listed.files.every((f) => expected.has(f.path))).toBe(true);
    const paths = listed.files.map((f) => f.path);
    expect([...paths].sort()).toEqual(paths);
  }, 180_000);

  it('past a bound, indexes that many files and says how many it left out, at every later update', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++)
      files[`src/mod${String(i).padStart(2, '0')}.ts`] = `export const v${i} = ${i};\n`;
    repo = await createTempGitRepo({ files });
    index = openProjectIndex(repo.dir, { maxFiles: 20 });
    const first = await index.update();
    expect(first.files).toBe(20);
    expect(first.leftOut).toBe(10);
    expect(index.queries().allPaths()).toHaveLength(20);
    // Nothing changed: the update still says what the index lacks.
    const again = await index.update();
    expect(again.leftOut).toBe(10);
    await repo.write('src/new-file.ts', 'export const fresh = 1;\n');
    const later = await index.update();
    expect(later.leftOut).toBe(11);
    expect(later.files).toBe(20);
  });
});
