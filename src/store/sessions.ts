import type { Db } from './database.js';

/** A conversation with Ralex: a run of commands sharing context. */
export interface SessionRecord {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

/** Session rows in the store. */
export interface SessionStore {
  create(session: { id: string; title: string; now: string }): SessionRecord;
  get(id: string): SessionRecord | null;
  list(limit?: number): SessionRecord[];
  touch(id: string, now: string): void;
}

interface Row {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
}
const toRecord = (r: Row): SessionRecord => ({
  id: r.id,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Creates the session store over an open database. */
export function createSessionStore(db: Db): SessionStore {
  const insert = db.prepare('INSERT INTO sessions (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const byId = db.prepare('SELECT * FROM sessions WHERE id = ?');
  const recent = db.prepare('SELECT * FROM sessions ORDER BY updated_at DESC, id DESC LIMIT ?');
  const touch = db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?');
  return {
    create({ id, title, now }) {
      insert.run(id, title, now, now);
      return { id, title, createdAt: now, updatedAt: now };
    },
    get(id) {
      const row = byId.get(id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    list(limit = 100) {
      return (recent.all(limit) as Row[]).map(toRecord);
    },
    touch(id, now) {
      touch.run(now, id);
    },
  };
}
