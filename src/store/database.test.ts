import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, PAGE_CACHE_KIB } from './database.js';
import { createEventLog } from './event-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it("bounds each connection's page cache (better-sqlite3's build would hold 16 MB per connection)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ralex-db-'));
    dirs.push(dir);
    const file = join(dir, 'ralex.db');
    const first = openDatabase(file);
    const second = openDatabase(file); // a `ralex run` beside a `ralex serve`: the same bound
    for (const db of [first, second]) {
      expect(db.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    }
    expect(PAGE_CACHE_KIB).toBeLessThanOrEqual(4096);
    // The bound costs no data: what one connection appends past the cache, the other reads back whole.
    const log = createEventLog(first);
    const title = 'x'.repeat(2_000);
    for (let i = 0; i < 3_000; i++)
      log.append(
        { sessionId: `ses-${i % 7}`, commandId: null },
        { type: 'session.created', title },
        new Date(0).toISOString(),
      );
    const read = createEventLog(second).read({ limit: 5_000 });
    expect(read).toHaveLength(3_000);
    expect(read.every((e) => e.type === 'session.created' && e.title === title)).toBe(true);
    first.close();
    second.close();
  });
});
