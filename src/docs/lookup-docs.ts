import type { Candidate } from '../context/pack/pack-context.js';
import type { TokenCounter } from '../context/pack/tokenizer.js';
import { queryTerms } from '../context/rank/query-terms.js';
import type { ReadGuard } from '../project/guarded-read.js';
import type { McpToolClient } from './context7-client.js';
import { Context7Unavailable, context7Provider } from './context7-provider.js';
import { type DocsCache, docsCacheKey } from './docs-cache.js';
import { goDocs, goModuleCache } from './go-docs.js';
import type { DocsQuery, Library, LibraryDocs } from './library.js';
import { npmDocs } from './npm-docs.js';
import { projectDependencies } from './project-dependencies.js';
import { pythonDocs } from './python-docs.js';
import { type PythonEnvironment, pythonEnvironment } from './python-environment.js';
import { rankSections } from './rank-sections.js';
import { type FileInPlay, librariesInPlay } from './resolve-libraries.js';
import { docsCandidates, type FoundDocs } from './size-docs.js';

/** What a docs lookup is for: the request, the files in play, and the room it may take. */
export interface DocsRequest {
  request: string;
  intent: string;
  files: readonly FileInPlay[];
  budget: number;
  /** Tokens the docs may take in all. */
  room: number;
  count: TokenCounter;
  /** The best ranked file's score: docs of a library the request does not name rank below it. */
  topScore?: number;
}

/** The docs for a request: context candidates, the libraries found, and what happened. */
export interface DocsResult {
  candidates: Candidate[];
  libraries: Library[];
  notes: string[];
}

/** How Context7 has been doing for this project's commands (for `/health`). */
export type Context7Status =
  | { state: 'off' }
  | { state: 'not asked yet' }
  | { state: 'answered'; at: number }
  | { state: 'paused'; at: number; until: number; why: string };

/** Looks up docs for commands of one project; holds the Context7 connection between commands. */
export interface DocsService {
  lookup(req: DocsRequest): Promise<DocsResult>;
  /** Context7's last outcome, without asking it anything. */
  context7Status(): Context7Status;
  /** Resolves once what the lookups cached is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** How the docs service is set up (from `docs` in preferences.yaml, and the runtime). */
export interface DocsServiceOptions {
  root: string;
  canRead(path: string): boolean;
  cache: DocsCache;
  installed: boolean;
  /** A client to Context7's MCP server, or null when Context7 is off. */
  context7: McpToolClient | null;
  /** The most time a lookup waits for Context7, from its start (default 3 s). */
  timeoutMs: number;
  maxLibraries: number;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

/** Sections kept per library and provider in the cache (sizing picks from them). */
const KEEP_RANKED = 16;
/** After Context7 could not answer, it is not asked again for this long (a command should not wait for it each time). */
const CONTEXT7_PAUSE_MS = 5 * 60_000;

/**
 * Creates the docs service: for each command, the libraries in play at their installed versions,
 * then for each the cached answer, else the installed docs (npm, Python, Go) and — when on —
 * Context7, which gets at most `timeoutMs` from the start of the lookup and never delays it
 * longer; what it cannot answer in time, or answers with an error text, falls back to installed docs.
 */
export function createDocsService(o: DocsServiceOptions): DocsService {
  const now = o.now ?? Date.now;
  let pausedUntil = 0;
  let pausedWhy = '';
  let answeredAt = 0;
  let python: Promise<PythonEnvironment> | undefined;
  let goCache: Promise<string | null> | undefined;
  const outside: string[] = [];
  const guard: ReadGuard = { root: o.root, canRead: o.canRead, outside };
  const c7 = o.context7 ? context7Provider(o.context7) : null;

  return {
    async lookup(req) {
      const notes: string[] = [];
      const query: DocsQuery = { request: req.request, intent: req.intent, terms: queryTerms(req.request) };
      const deps = await projectDependencies(o.root, guard);
      const pythonEnv = () => {
        python ??= pythonEnvironment(o.root, guard, o.env?.PATH ?? process.env.PATH).then((env) => {
          for (const d of env.siteDirs) if (!outside.includes(d)) outside.push(d);
          return env;
        });
        return python;
      };
      const found = await librariesInPlay({
        root: o.root,
        request: req.request,
        files: req.files,
        dependencies: deps,
        guard,
        python: pythonEnv,
        max: o.maxLibraries,
      });
      notes.push(...found.notes);
      if (found.libraries.length === 0) return { candidates: [], libraries: [], notes };
      const words = (lib: Library) => [
        ...query.terms,
        ...lib.symbols.map((s) => `=${s}`),
        ...lib.subpaths.map((s) => `/${s}`),
      ];
      const key = (lib: Library, provider: string) =>
        docsCacheKey({
          provider,
          library: `${lib.ecosystem}:${lib.name}`,
          version: lib.version,
          intent: req.intent,
          words: words(lib),
        });
      const remember = async (lib: Library, docs: LibraryDocs): Promise<FoundDocs> => {
        const ranked = rankSections(docs.sections, lib, query, found.used).slice(0, KEEP_RANKED);
        if (docs.provider === 'context7') ranked.push(...unranked(docs, ranked));
        const { sections: _, ...meta } = docs;
        const dropped = await o.cache.put(key(lib, docs.provider), {
          library: `${lib.ecosystem}:${lib.name}`,
          version: lib.version,
          provider: docs.provider,
          at: now(),
          docs: meta,
          ranked,
        });
        if (dropped)
          notes.push(`${lib.name}: the cached docs of another version were dropped (now ${lib.version}).`);
        return { library: lib, docs: meta, ranked, cached: false };
      };
      // An installed package without docs at its version, remembered like docs found (no sections).
      const rememberNone = (lib: Library, why: string[]) =>
        remember(lib, { provider: 'installed', origin: '', version: lib.version, sections: [], notes: why });
      const cached = async (lib: Library, provider: 'installed' | 'context7'): Promise<FoundDocs | null> => {
        const e = await o.cache.get(key(lib, provider));
        return e ? { library: lib, docs: e.docs, ranked: e.ranked, cached: true } : null;
      };

      const installed = o.installed ? installedDocs(found.libraries) : Promise.resolve([]);
      async function installedDocs(libs: Library[]): Promise<FoundDocs[]> {
        const out: FoundDocs[] = [];
        const misses: Library[] = [];
        for (const lib of libs) {
          const hit = await cached(lib, 'installed');
          if (!hit) misses.push(lib);
          else if (hit.ranked.length) out.push(hit);
          else notes.push(...hit.docs.notes.map((n) => `${lib.name}: ${n}.`)); // known to have none
        }
        const pyMisses = misses.filter((l) => l.ecosystem === 'python');
        const pyDocs = pyMisses.length
          ? await pythonDocs(pyMisses, await pythonEnv(), guard, AbortSignal.timeout(3000))
          : new Map<string, LibraryDocs>();
        for (const lib of misses) {
          let docs: LibraryDocs | null = null;
          if (lib.ecosystem === 'npm') docs = await npmDocs(lib, guard);
          else if (lib.ecosystem === 'python') docs = pyDocs.get(lib.name) ?? null;
          else {
            goCache ??= goModuleCache(o.env ?? process.env).then((d) => {
              if (d && !outside.includes(d)) outside.push(d);
              return d;
            });
            const dir = await goCache;
            docs = dir ? await goDocs(lib, dir, guard) : null;
            if (!docs)
              notes.push(
                `${lib.name} ${lib.version}: not in the Go module cache${dir ? ` (${dir})` : ''}; no installed docs.`,
              );
          }
          if (docs?.sections.length) out.push(await remember(lib, docs));
          else {
            if (docs?.notes.length) notes.push(...docs.notes.map((n) => `${lib.name}: ${n}.`));
            // An installed package without docs at this version: remembered too, or every command
            // would ask again (for Python an interpreter started per command, ~0.2 s).
            if (lib.installed) await rememberNone(lib, docs?.notes ?? []);
          }
        }
        return out;
      }

      const fromContext7 = c7 ? context7Docs(found.libraries) : Promise.resolve([]);
      async function context7Docs(libs: Library[]): Promise<FoundDocs[]> {
        const out: FoundDocs[] = [];
        const ask: Library[] = [];
        for (const lib of libs) {
          const hit = await cached(lib, 'context7');
          if (hit) out.push(hit);
          else ask.push(lib);
        }
        if (ask.length === 0) return out;
        if (now() < pausedUntil) {
          notes.push(
            `Context7 was not asked: it could not answer ${Math.round((now() - (pausedUntil - CONTEXT7_PAUSE_MS)) / 1000)} s ago (${pausedWhy}); it is tried again after ${CONTEXT7_PAUSE_MS / 60_000} min.`,
          );
          return out;
        }
        const deadline = new AbortController();
        const timer = setTimeout(
          () => deadline.abort(new Error(`no answer within ${o.timeoutMs} ms`)),
          o.timeoutMs,
        );
        timer.unref?.();
        // Settles by the deadline whatever the server does: a call that ignores the abort is left behind.
        const settled = await Promise.all(
          ask.map((lib) =>
            race(c7!.lookup(lib, query, deadline.signal), deadline.signal).then(
              (docs) => ({ lib, docs, error: null as unknown }),
              (error: unknown) => ({ lib, docs: null, error }),
            ),
          ),
        );
        clearTimeout(timer);
        for (const s of settled) {
          if (!s.error) answeredAt = now();
          if (s.docs?.sections.length) out.push(await remember(s.lib, s.docs));
          else if (s.error) {
            const why =
              s.error instanceof Context7Unavailable
                ? s.error.message
                : deadline.signal.aborted
                  ? `no answer within ${o.timeoutMs} ms`
                  : (s.error as Error).message;
            pausedUntil = now() + CONTEXT7_PAUSE_MS;
            pausedWhy = why.slice(0, 160);
            notes.push(
              `Context7 could not answer for ${s.lib.name} (${pausedWhy}): the installed docs stand in.`,
            );
          }
        }
        return out;
      }

      const all = [...(await installed), ...(await fromContext7)];
      for (const lib of found.libraries)
        if (!all.some((f) => f.library.name === lib.name))
          notes.push(`${lib.name} ${lib.version}: no docs found (${lib.why[0]}).`);
      return {
        candidates: docsCandidates(all, req.room, req.budget, req.count, req.topScore ?? 0),
        libraries: found.libraries,
        notes,
      };
    },
    context7Status() {
      if (!c7) return { state: 'off' };
      const pausedAt = pausedUntil - CONTEXT7_PAUSE_MS;
      if (pausedUntil > 0 && pausedAt >= answeredAt)
        return { state: 'paused', at: pausedAt, until: pausedUntil, why: pausedWhy };
      return answeredAt ? { state: 'answered', at: answeredAt } : { state: 'not asked yet' };
    },
    flush: () => o.cache.flush(),
    async close() {
      await o.cache.flush();
      await o.context7?.close();
    },
  };
}

/** Context7 ranks its snippets itself: those no word of the request matched keep its order, below the matched ones. */
function unranked(docs: LibraryDocs, ranked: FoundDocs['ranked']): FoundDocs['ranked'] {
  const have = new Set(ranked.map((r) => r.section));
  return docs.sections
    .filter((s) => !have.has(s))
    .slice(0, KEEP_RANKED)
    .map((section, i) => ({ section, score: Math.max(0.1, 1 - i * 0.05), why: ['ranked by Context7'] }));
}

function race<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
