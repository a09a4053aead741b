import type { McpToolClient } from './context7-client.js';
import { context7Snippets, parseLibraries, pickLibrary, readContext7Text } from './context7-text.js';
import type { DocsProvider, DocsQuery, Library, LibraryDocs } from './library.js';

/** Context7 could not answer (offline, rate limited, timed out): the command goes on with installed docs. */
export class Context7Unavailable extends Error {
  override name = 'Context7Unavailable';
}

/** Most of a `query-docs` answer kept before it is split and ranked; the rest is dropped. */
const MAX_DOCS_CHARS = 60_000;
const INTENT_WORDS: Record<string, string> = {
  fix_bug: 'fix a bug',
  implement: 'implement',
  refactor: 'refactor',
  test: 'write tests',
  review: 'review',
  explain: 'explain',
  question: 'question',
};

/** The words sent to Context7: the intent and the request's search words — never file contents. */
export function context7Query(library: Library, query: DocsQuery): string {
  const words = [...new Set([...query.terms, ...library.symbols.slice(0, 4)])].slice(0, 14).join(' ');
  return `${INTENT_WORDS[query.intent] ?? query.intent}: ${words}`.slice(0, 200);
}

/**
 * Docs from Context7 over MCP: `resolve-library-id {query, libraryName}`, then `query-docs
 * {libraryId, query}` for the library at the installed version when Context7 lists it. An answer
 * that is an error text (Context7 sets no `isError` offline) throws `Context7Unavailable`.
 */
export function context7Provider(client: McpToolClient): DocsProvider {
  return {
    name: 'context7',
    async lookup(library, query, signal) {
      const q = context7Query(library, query);
      const resolved = await client.call(
        'resolve-library-id',
        { query: q, libraryName: library.name },
        signal,
      );
      const r = readContext7Text(resolved.text, resolved.isError);
      if (r.kind === 'unavailable') throw new Context7Unavailable(r.reason);
      if (r.kind === 'nothing') return null;
      const pick = pickLibrary(parseLibraries(r.text), library.name, library.version);
      if (!pick) return null;
      const answer = await client.call('query-docs', { libraryId: pick.id, query: q }, signal);
      const d = readContext7Text(answer.text, answer.isError);
      if (d.kind === 'unavailable') throw new Context7Unavailable(d.reason);
      if (d.kind === 'nothing') return null;
      const notes = pick.version
        ? []
        : [
            `Context7 lists no docs for ${library.version} exactly; these are for ${pick.library.versions.length ? 'its latest version' : 'the library as it is now'}`,
          ];
      const text = d.text.length > MAX_DOCS_CHARS ? d.text.slice(0, MAX_DOCS_CHARS) : d.text;
      if (d.text.length > MAX_DOCS_CHARS)
        notes.push(`the answer was cut from ${d.text.length} to ${MAX_DOCS_CHARS} characters`);
      const docs: LibraryDocs = {
        provider: 'context7',
        origin: `Context7 ${pick.id}`,
        version: pick.version ?? 'latest',
        sections: context7Snippets(text).map((s) => ({
          title: s.title,
          text: s.text.slice(0, 3000),
          source: `context7:${pick.id}`,
          kind: 'context7',
          names: [],
        })),
        notes,
      };
      return docs;
    },
  };
}
