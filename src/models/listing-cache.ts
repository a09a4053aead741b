import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ModelProvider } from './model-provider.js';
import type { ModelEntry, ProviderStatus } from './model-registry.js';

/**
 * What the providers last said, kept on disk (`.ralex/cache/provider-models.json`) so a one-shot
 * `ralex run` does not probe for Ollama and list every provider's models on each command. Each
 * record is valid for the providers it was taken of (ids, URLs, keys — hashed, never stored —
 * and configured models) and for `maxAgeMs`.
 */
export interface ListingCache {
  /** Whether a local Ollama answered, when asked within the age; undefined when not known. */
  discovery(): { ollama: boolean } | undefined;
  saveDiscovery(found: { ollama: boolean }): void;
  /** The listing of `providers`, when taken within the age. */
  listing(
    providers: readonly ModelProvider[],
  ): { entries: ModelEntry[]; statuses: ProviderStatus[]; at: number } | undefined;
  saveListing(providers: readonly ModelProvider[], entries: ModelEntry[], statuses: ProviderStatus[]): void;
}

interface CacheFile {
  version: 1;
  discovery?: { at: number; ollama: boolean };
  listing?: { at: number; key: string; entries: ModelEntry[]; statuses: ProviderStatus[] };
}

/** Whose listing it is: every provider's id, URL, key (hashed) and configured models. */
function providersKey(providers: readonly ModelProvider[]): string {
  const hash = createHash('sha256');
  for (const p of providers)
    hash.update(JSON.stringify([p.id, p.baseURL, p.apiKey ?? '', p.configuredModels]));
  return hash.digest('hex');
}

/** A listing cache in `file`, valid for `maxAgeMs` (default 10 minutes); an unreadable file is an empty cache. */
export function openListingCache(
  file: string,
  options: { maxAgeMs?: number; now?: () => number } = {},
): ListingCache {
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const read = (): CacheFile => {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      return data?.version === 1 ? data : { version: 1 };
    } catch {
      return { version: 1 };
    }
  };
  const write = (update: (data: CacheFile) => void) => {
    try {
      const data = read();
      update(data);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
      renameSync(tmp, file);
    } catch {
      // A cache that cannot be written only costs the next process a listing.
    }
  };
  const fresh = (at: number | undefined) => at !== undefined && now() - at >= 0 && now() - at < maxAgeMs;
  return {
    discovery() {
      const d = read().discovery;
      return d && fresh(d.at) ? { ollama: d.ollama } : undefined;
    },
    saveDiscovery(found) {
      write((data) => {
        data.discovery = { at: now(), ollama: found.ollama };
      });
    },
    listing(providers) {
      const l = read().listing;
      if (!l || !fresh(l.at) || l.key !== providersKey(providers)) return undefined;
      return { entries: l.entries, statuses: l.statuses, at: l.at };
    },
    saveListing(providers, entries, statuses) {
      write((data) => {
        data.listing = { at: now(), key: providersKey(providers), entries, statuses };
      });
    },
  };
}
