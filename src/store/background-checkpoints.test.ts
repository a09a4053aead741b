import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from './background-checkpoints.js';
import { type Db, openDatabase } from './database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshDatabase(): { db: Db; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-checkpoints-'));
  dirs.push(dir);
  const file = join(dir, 'ralex.db');
  const db = openDatabase(file, []);
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)');
  return { db, file };
}

/** The WAL header's salts: SQLite draws new ones each time the log restarts after a complete checkpoint. */
const walSalts = (file: string) => readFileSync(`${file}-wal`).subarray(16, 24).toString('hex');

/** Commits one 4 KiB row every 20 ms until `until` holds or `ms` pass; returns whether it held. */
async function writeUntil(db: Db, until: () => boolean, ms: number): Promise<boolean> {
  const insert = db.prepare('INSERT INTO blobs (data) VALUES (?)');
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    insert.run(Buffer.alloc(4096, 7));
    if (until()) return true;
    await sleep(20);
  }
  return false;
}

describe('background checkpoints for a long-running server', () => {
  it('restart the write-ahead log while the server connection never checkpoints itself', async () => {
    const { db, file } = freshDatabase();
    const checkpoints = startBackgroundCheckpoints(db, file);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const first = walSalts(file);
    // Generous: the worker's first checkpoint waits for it to start, slow on a loaded machine.
    expect(await writeUntil(db, () => walSalts(file) !== first, 20_000)).toBe(true);
    await checkpoints.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  }, 60_000);

  it('without them (the control) the same writes never restart the log', async () => {
    const { db, file } = freshDatabase();
    db.pragma('wal_autocheckpoint = 0');
    const first = walSalts(file);
    expect(await writeUntil(db, () => walSalts(file) !== first, 2_000)).toBe(false);
    db.close();
  }, 60_000);
});
