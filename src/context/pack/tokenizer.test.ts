import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openIndexDatabase } from '../index/index-database.js';
import { indexTokenCounts } from '../index/token-counts.js';
import {
  BOUND_SHORT_TEXTS,
  countByParagraphs,
  createTokenCounter,
  ESTIMATE_SHORT_TEXTS,
  loadTokenCounter,
  type TokenCountCache,
} from './tokenizer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ralex-tokens-'));
  dirs.push(d);
  return d;
};
const mapCache = (): TokenCountCache & { map: Map<string, number> } => {
  const map = new Map<string, number>();
  return { map, get: (k) => map.get(k), set: (k, n) => void map.set(k, n) };
};

const CODE =
  `export function verify(user, password) {\n  const stored = hashes.get(user);\n  if (!stored) return false;\n  return timingSafeEqual(hash(password), stored);\n}\n`.repeat(
    8,
  );
const SHORTS = [
  'fix the failing test in user auth dot js',
  'src/user_auth.js',
  'Request 5f8e8944b4d3 (fix_bug): fix it',
  '日本語のテキストを数える',
  '🙂🙂🙂 emoji and ✓ marks',
  '    }\n  }\n}\n',
];

describe('createTokenCounter', () => {
  it('counts exactly, and answers a text it counted before from the cache', async () => {
    const exact = await loadTokenCounter();
    const cache = mapCache();
    const count = createTokenCounter(cache);
    expect(count(CODE)).toBe(exact(CODE));
    expect(count.stats).toMatchObject({ counted: 1, hits: 0 });
    // A new counter over the same cache (the next process) does not count again.
    const next = createTokenCounter(cache);
    expect(next(CODE)).toBe(exact(CODE));
    expect(next.stats).toMatchObject({ counted: 0, hits: 1 });
    expect(count('')).toBe(0);
  });

  it('never under-counts a short text it bounds for packing, and estimates one for routing', async () => {
    const exact = await loadTokenCounter();
    for (const text of SHORTS) {
      const bytes = Buffer.byteLength(text);
      expect(BOUND_SHORT_TEXTS.count(bytes)).toBeGreaterThanOrEqual(exact(text));
      // The estimate is within a factor of three of the exact count either way.
      const estimate = ESTIMATE_SHORT_TEXTS.count(bytes);
      expect(estimate).toBeGreaterThanOrEqual(Math.floor(exact(text) / 3));
      expect(estimate).toBeLessThanOrEqual(exact(text) * 3 + 3);
    }
  });

  it('sums a prompt by paragraphs to within a token a paragraph of the whole count', async () => {
    const exact = await loadTokenCounter();
    const prompt = [CODE, 'The request is below.', CODE.slice(0, 300), 'Request abc (fix_bug): fix it'].join(
      '\n\n',
    );
    const paragraphs = prompt.split('\n\n').length;
    const summed = countByParagraphs(exact)(prompt);
    expect(Math.abs(summed - exact(prompt))).toBeLessThanOrEqual(paragraphs);
  });
});

describe('indexTokenCounts', () => {
  it('keeps counts in the context index across openings, within its bound', () => {
    const file = join(tempDir(), 'context-index.db');
    let opened = openIndexDatabase(file);
    const cache = indexTokenCounts(() => opened.db, 1000);
    for (let i = 0; i < 1600; i++) cache.set(`k${i}`, i);
    expect(cache.get('k1599')).toBe(1599);
    opened.db.close();

    opened = openIndexDatabase(file);
    const again = indexTokenCounts(() => opened.db, 1000);
    expect(again.get('k1599')).toBe(1599);
    // The oldest beyond the bound went (trimmed every 500 inserts: at most 1000 + 499 left).
    expect(again.get('k0')).toBeUndefined();
    const rows = opened.db.prepare('SELECT count(*) FROM token_counts').pluck().get() as number;
    expect(rows).toBeLessThanOrEqual(1499);
    opened.db.close();
    // A closed index loses the remembering, never a count.
    expect(again.get('k1599')).toBeUndefined();
    expect(() => again.set('k', 1)).not.toThrow();
  });
});
