import type { EventBody, EventScope, RalexEvent } from '../events/events.js';
import type { Db } from './database.js';

/** Which stored events to read back. */
export interface EventQuery {
  /** Only events with an id greater than this (the last one a client saw). */
  afterId?: number;
  sessionId?: string;
  commandId?: string;
  limit?: number;
}

/** The persisted, append-only event log. Ids are SQLite's monotonic AUTOINCREMENT values. */
export interface EventLog {
  /** Appends one event and returns it with its id and time. */
  append(scope: EventScope, body: EventBody, ts: string): RalexEvent;
  /** Reads stored events in id order. */
  read(query: EventQuery): RalexEvent[];
  /** The highest id stored so far (0 when empty). */
  lastId(): number;
}

interface EventRow {
  id: number;
  session_id: string;
  command_id: string | null;
  ts: string;
  body_json: string;
}

/** Creates the event log over an open database. */
export function createEventLog(db: Db): EventLog {
  const insert = db.prepare(
    'INSERT INTO events (session_id, command_id, type, ts, body_json) VALUES (?, ?, ?, ?, ?)',
  );
  const maxId = db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM events');
  const toEvent = (row: EventRow): RalexEvent =>
    ({
      ...(JSON.parse(row.body_json) as EventBody),
      id: row.id,
      ts: row.ts,
      sessionId: row.session_id,
      commandId: row.command_id,
    }) as RalexEvent;

  return {
    append(scope, body, ts) {
      const info = insert.run(scope.sessionId, scope.commandId, body.type, ts, JSON.stringify(body));
      return { ...body, id: Number(info.lastInsertRowid), ts, ...scope } as RalexEvent;
    },
    read(query) {
      const where: string[] = ['id > ?'];
      const params: (string | number)[] = [query.afterId ?? 0];
      if (query.sessionId) {
        where.push('session_id = ?');
        params.push(query.sessionId);
      }
      if (query.commandId) {
        where.push('command_id = ?');
        params.push(query.commandId);
      }
      params.push(query.limit ?? 10_000);
      const rows = db
        .prepare(
          `SELECT id, session_id, command_id, ts, body_json FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`,
        )
        .all(...params) as EventRow[];
      return rows.map(toEvent);
    },
    lastId() {
      return (maxId.get() as { id: number }).id;
    },
  };
}
