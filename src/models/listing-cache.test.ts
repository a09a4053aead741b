import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RalexConfig } from '../config/load-config.js';
import { discoverOllama } from './configured-providers.js';
import { openListingCache } from './listing-cache.js';
import { defineProvider, type ModelProvider } from './model-provider.js';
import { createModelRegistry } from './model-registry.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function cacheFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-listing-'));
  dirs.push(dir);
  return join(dir, 'provider-models.json');
}

/** A provider whose listing is counted (no network: the listing is this function). */
function countingProvider(
  apiKey: string,
  baseURL = 'http://127.0.0.1:9/v1',
): ModelProvider & { calls: number } {
  const p = defineProvider({ id: 'openai', kind: 'openai-compatible', baseURL, apiKey, origin: 'test' });
  const counted = Object.assign(p, { calls: 0 });
  counted.listModels = async () => {
    counted.calls++;
    return ['model-a', 'model-b'];
  };
  return counted;
}

describe('openListingCache', () => {
  it('lets the next process use the listing without asking the provider, and never stores the key', async () => {
    const file = cacheFile();
    const first = countingProvider('sk-secret-key-1234567890');
    await createModelRegistry([first], { cache: openListingCache(file) }).list();
    expect(first.calls).toBe(1);
    const second = countingProvider('sk-secret-key-1234567890');
    const ids = (await createModelRegistry([second], { cache: openListingCache(file) }).list()).map(
      (e) => e.id,
    );
    expect(ids).toEqual(['openai:model-a', 'openai:model-b']);
    expect(second.calls).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain('sk-secret');
  });

  it('lists again for other providers (another key or URL) and once the age has passed', async () => {
    const file = cacheFile();
    let now = 1_000_000;
    const cache = () => openListingCache(file, { maxAgeMs: 60_000, now: () => now });
    await createModelRegistry([countingProvider('k1')], { cache: cache() }).list();
    const otherKey = countingProvider('k2');
    await createModelRegistry([otherKey], { cache: cache() }).list();
    expect(otherKey.calls).toBe(1);
    const otherUrl = countingProvider('k2', 'http://127.0.0.1:10/v1');
    await createModelRegistry([otherUrl], { cache: cache() }).list();
    expect(otherUrl.calls).toBe(1);
    now += 61_000;
    const later = countingProvider('k2', 'http://127.0.0.1:10/v1');
    await createModelRegistry([later], { cache: cache() }).list();
    expect(later.calls).toBe(1);
  });

  it('in a server, answers with the older list and refreshes it in the background', async () => {
    const p = countingProvider('k');
    const registry = createModelRegistry([p], {
      cacheMs: 0,
      background: true,
      cache: openListingCache(cacheFile()),
    });
    await registry.list();
    expect(p.calls).toBe(1);
    expect((await registry.list()).length).toBe(2);
    await registry.refresh();
    expect(p.calls).toBeGreaterThanOrEqual(2);
  });

  it('remembers whether Ollama answered, so a fresh answer is not asked again', async () => {
    const file = cacheFile();
    const cache = openListingCache(file);
    cache.saveDiscovery({ ollama: true });
    const config = { env: {}, preferences: {} } as unknown as RalexConfig;
    // Nothing listens for this test; the remembered answer is used as it is.
    expect((await discoverOllama(config, cache)).map((p) => p.id)).toEqual(['ollama']);
    cache.saveDiscovery({ ollama: false });
    expect(await discoverOllama(config, cache)).toEqual([]);
    // OLLAMA_HOST set: no discovery at all.
    expect(
      await discoverOllama({ env: { ollamaHost: 'http://x' } } as unknown as RalexConfig, cache),
    ).toEqual([]);
  });
});
