import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_INTERVAL_MS, openDatabase, PAGE_CACHE_KIB } from './database.js';
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

  it('checkpoints the WAL from a timer and at close, never inside a commit of ordinary size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ralex-db-'));
    dirs.push(dir);
    const file = join(dir, 'ralex.db');
    const db = openDatabase(file);
    const other = openDatabase(file); // another process's connection: it reads what is in the WAL
    db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;
    // 1,500 commits of about a page each: past SQLite's default of 1,000 WAL pages, where a
    // commit would have copied them into the database on this thread.
    const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
    const body = 'y'.repeat(3_000);
    for (let i = 0; i < 1_500; i++) insert.run(body);
    expect(statSync(file).size).toBe(before);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_500 * 3_000);
    expect(other.prepare('SELECT COUNT(*) AS n FROM blobs').get()).toEqual({ n: 1_500 });

    // The timer moves them into the database.
    await new Promise((r) => setTimeout(r, CHECKPOINT_INTERVAL_MS * 3));
    expect(statSync(file).size).toBeGreaterThan(before + 1_500 * 3_000);

    // What a connection commits just before closing is checkpointed by its close, though
    // another connection stays open (SQLite's own checkpoint at close is only the last one's).
    db.exec("CREATE TABLE late (x TEXT); INSERT INTO late VALUES ('z')");
    const sizeBefore = statSync(file).size;
    db.close();
    expect(statSync(file).size).toBeGreaterThan(sizeBefore);
    expect(existsSync(`${file}-wal`)).toBe(true); // still open by the other connection
    expect(other.prepare('SELECT x FROM late').get()).toEqual({ x: 'z' });
    other.close();
  });
});
