import type { RalexEvent } from '../../src/events/events.js';
import type { RalexUnderTest } from '../helpers/ralex-under-test.js';
import { runScriptedSession, scriptedSessionProject } from '../helpers/scripted-session.js';

/** `startRalex` options for a long session: the scripted session's project and model. */
export const longSessionProject = scriptedSessionProject;

/** A session seeded into the store, and the text of each of its commands, oldest first. */
export interface LongSession {
  sessionId: string;
  texts: string[];
  /** How many events the session holds. */
  events: number;
}

/**
 * Seeds one session of `count` finished commands, the way a person's long day looks: ten real
 * commands run first through the real API (direct commands, questions to the scripted model, a
 * verified and committed fix, a push nobody approves), in a scratch session; then their stored
 * rows and events are copied `count` times into the new session, each copy with its own command
 * id and a numbered text, an hour apart in time. One transaction, straight into the runtime's
 * SQLite store, as `bench/dashboard-bench.ts` seeds its store.
 */
export async function seedLongSession(ralex: RalexUnderTest, count: number): Promise<LongSession> {
  const results = await runScriptedSession(ralex, 10);
  const { rt } = ralex;
  const templates = results.map((r) => ({
    row: rt.commands.get(r.commandId)!,
    events: rt.bus.log.read({ commandId: r.commandId }),
  }));
  const sessionId = 'ses_long';
  const start = Date.now() - count * 3_600_000;
  const insertCommand = rt.db.prepare(
    'INSERT INTO commands (id, session_id, text, source, status, intent, created_at, finished_at, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertEvent = rt.db.prepare(
    'INSERT INTO events (session_id, command_id, type, ts, body_json) VALUES (?, ?, ?, ?, ?)',
  );
  const texts: string[] = [];
  let events = 0;
  rt.db.transaction(() => {
    const at = new Date(start).toISOString();
    rt.sessions.create({ id: sessionId, title: `A session of ${count} commands`, now: at });
    for (let i = 0; i < count; i++) {
      const { row, events: original } = templates[i % templates.length]!;
      const id = `cmd_long_${i}`;
      const text = `${row.text} #${i + 1}`;
      const ts = new Date(start + i * 3_600_000).toISOString();
      // The copy names its own command wherever the original named its own (result, approval ids).
      const copy = (value: unknown) => JSON.stringify(value).replaceAll(row.id, id);
      insertCommand.run(id, sessionId, text, row.source, row.status, row.intent, ts, ts, copy(row.result));
      for (const event of original) {
        const body = withText(bodyOf(event), row.text, text);
        insertEvent.run(sessionId, id, event.type, ts, copy(body));
        events++;
      }
      texts.push(text);
    }
    rt.sessions.touch(sessionId, new Date().toISOString());
  })();
  return { sessionId, texts, events };
}

/** An event without what the log adds (id, time, scope): what the log stores as its body. */
function bodyOf(event: RalexEvent): Record<string, unknown> {
  const { id: _id, ts: _ts, sessionId: _s, commandId: _c, ...body } = event;
  return body;
}

/** The command's accepted event carries its numbered text, so every card says which copy it is. */
function withText(body: Record<string, unknown>, original: string, text: string) {
  return body.type === 'command.accepted' && body.text === original ? { ...body, text } : body;
}
