import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DocSectionSchema, LibraryDocsSchema } from './library.js';

/** One cached answer: a provider's ranked docs of library@version for one query. */
export const CachedDocsSchema = z.object({
  /** `npm:dayjs`, `python:dateutil`, `go:github.com/spf13/cobra`. */
  library: z.string(),
  version: z.string(),
  provider: z.enum(['installed', 'context7']),
  /** When it was stored (ms since the epoch). */
  at: z.number(),
  docs: LibraryDocsSchema.omit({ sections: true }),
  ranked: z.array(z.object({ section: DocSectionSchema, score: z.number(), why: z.array(z.string()) })),
});
/** One cache entry. */
export type CachedDocs = z.infer<typeof CachedDocsSchema>;

const CacheFileSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), CachedDocsSchema) });

/** Most entries kept; the oldest go first. */
const MAX_ENTRIES = 200;

/** The docs cache (`.ralex/cache/documentation_cache.json`), keyed by library@version + query, with a TTL. */
export interface DocsCache {
  get(key: string): Promise<CachedDocs | null>;
  /** Stores an entry; entries of the same library at another version are dropped (a version bump invalidates). Resolves how many were. */
  put(key: string, entry: CachedDocs): Promise<number>;
  /** Writes what changed (put already schedules it; await this to be sure it is on disk). */
  flush(): Promise<void>;
}

/** The cache key of a lookup: provider, library@version, intent and the query's words and symbols. */
export function docsCacheKey(parts: {
  provider: string;
  library: string;
  version: string;
  intent: string;
  words: readonly string[];
}): string {
  return `${parts.provider}|${parts.library}@${parts.version}|${parts.intent}|${[...new Set(parts.words)].sort().join(' ')}`;
}

/**
 * Opens the docs cache in `cacheDir`. The file is read once per process and written atomically
 * (temp file + rename) after each change; a damaged file is started afresh. Entries older than
 * `ttlMs` are misses.
 */
export function openDocsCache(cacheDir: string, options: { ttlMs: number; now?: () => number }): DocsCache {
  const file = join(cacheDir, 'documentation_cache.json');
  const now = options.now ?? Date.now;
  let entries: Promise<Record<string, CachedDocs>> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const load = () => {
    entries ??= readFile(file, 'utf8')
      .then(
        (text) => {
          const parsed = CacheFileSchema.safeParse(JSON.parse(text));
          return parsed.success ? parsed.data.entries : {};
        },
        () => ({}),
      )
      .catch(() => ({}));
    return entries;
  };
  const save = (all: Record<string, CachedDocs>) => {
    writing = writing
      .then(async () => {
        await mkdir(cacheDir, { recursive: true });
        const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temp, JSON.stringify({ version: 1, entries: all }));
        await rename(temp, file);
      })
      .catch(() => {});
    return writing;
  };
  return {
    async get(key) {
      const e = (await load())[key];
      if (!e || now() - e.at > options.ttlMs) return null;
      return e;
    },
    async put(key, entry) {
      const all = await load();
      let dropped = 0;
      for (const [k, e] of Object.entries(all)) {
        if (e.library === entry.library && e.provider === entry.provider && e.version !== entry.version) {
          delete all[k];
          dropped++;
        } else if (now() - e.at > options.ttlMs) delete all[k];
      }
      all[key] = entry;
      const keys = Object.keys(all);
      if (keys.length > MAX_ENTRIES)
        for (const k of keys.sort((a, b) => all[a]!.at - all[b]!.at).slice(0, keys.length - MAX_ENTRIES))
          delete all[k];
      void save(all);
      return dropped;
    },
    flush: () => writing,
  };
}
