import type { OwnerProcess } from '../util/proc-stat.js';
import type { Db } from './database.js';

/** Where a command is in its life. `running` rows found at start-up were interrupted by a crash. */
export type CommandStatus = 'running' | 'succeeded' | 'failed' | 'denied' | 'cancelled' | 'needs_input';

/** One command as stored: what was asked, where it came from, and how it ended. */
export interface CommandRecord {
  id: string;
  sessionId: string;
  text: string;
  source: string;
  status: CommandStatus;
  intent: string | null;
  createdAt: string;
  finishedAt: string | null;
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  /** The Ralex process running it (null for rows written before owners were recorded). */
  owner: OwnerProcess | null;
}

/** Command rows in the store. */
export interface CommandStore {
  insert(command: {
    id: string;
    sessionId: string;
    text: string;
    source: string;
    now: string;
    owner: OwnerProcess;
  }): CommandRecord;
  setIntent(id: string, intent: string): void;
  finish(id: string, status: CommandStatus, now: string, outcome: { result?: object; error?: object }): void;
  get(id: string): CommandRecord | null;
  listBySession(sessionId: string, limit?: number): CommandRecord[];
  listByStatus(status: CommandStatus): CommandRecord[];
}

interface Row {
  id: string;
  session_id: string;
  text: string;
  source: string;
  status: CommandStatus;
  intent: string | null;
  created_at: string;
  finished_at: string | null;
  result_json: string | null;
  error_json: string | null;
  owner_pid: number | null;
  owner_started: string | null;
}

const toRecord = (r: Row): CommandRecord => ({
  id: r.id,
  sessionId: r.session_id,
  text: r.text,
  source: r.source,
  status: r.status,
  intent: r.intent,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  result: r.result_json ? JSON.parse(r.result_json) : null,
  error: r.error_json ? JSON.parse(r.error_json) : null,
  owner: r.owner_pid === null ? null : { pid: r.owner_pid, started: r.owner_started ?? '' },
});

/** Creates the command store over an open database. */
export function createCommandStore(db: Db): CommandStore {
  const insert = db.prepare(
    "INSERT INTO commands (id, session_id, text, source, status, created_at, owner_pid, owner_started) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)",
  );
  const setIntent = db.prepare('UPDATE commands SET intent = ? WHERE id = ?');
  const finish = db.prepare(
    'UPDATE commands SET status = ?, finished_at = ?, result_json = ?, error_json = ? WHERE id = ?',
  );
  const byId = db.prepare('SELECT * FROM commands WHERE id = ?');
  const bySession = db.prepare(
    'SELECT * FROM commands WHERE session_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const byStatus = db.prepare('SELECT * FROM commands WHERE status = ? ORDER BY created_at');
  return {
    insert({ id, sessionId, text, source, now, owner }) {
      insert.run(id, sessionId, text, source, now, owner.pid, owner.started);
      return {
        id,
        sessionId,
        text,
        source,
        status: 'running',
        intent: null,
        createdAt: now,
        finishedAt: null,
        result: null,
        error: null,
        owner,
      };
    },
    setIntent(id, intent) {
      setIntent.run(intent, id);
    },
    finish(id, status, now, { result, error }) {
      finish.run(
        status,
        now,
        result ? JSON.stringify(result) : null,
        error ? JSON.stringify(error) : null,
        id,
      );
    },
    get(id) {
      const row = byId.get(id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    listBySession(sessionId, limit = 100) {
      return (bySession.all(sessionId, limit) as Row[]).map(toRecord);
    },
    listByStatus(status) {
      return (byStatus.all(status) as Row[]).map(toRecord);
    },
  };
}
