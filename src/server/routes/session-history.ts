import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RalexError } from '../../errors.js';
import type { RalexEvent } from '../../events/events.js';
import type { Runtime } from '../../runtime.js';

/** `GET /api/sessions/:id/history` query: one page of the session's commands, newest first. */
export const SessionHistoryQuerySchema = z.strictObject({
  /** Only commands that began before this event id (the `older` cursor of the page after it). */
  before: z.coerce.number().int().positive().optional(),
  /** How many commands, at most. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** What `GET /api/sessions/:id/history` answers. */
export const SessionHistoryPageSchema = z.object({
  sessionId: z.string(),
  /** Every event of the page's commands, in id order (a command's from its first to its latest). */
  events: z.array(z.custom<RalexEvent>()),
  /** The log's last id when the page was read: follow `/ws?since=` from here and nothing is missed. */
  lastEventId: z.number().int(),
  /** The cursor for the next older page (`before=`); null when this page reaches the session's first command. */
  older: z.number().int().nullable(),
});
/** One page of a session's history. */
export type SessionHistoryPage = z.infer<typeof SessionHistoryPageSchema>;

/** Events read per query when a command's events are collected (a long streamed answer has thousands). */
const EVENTS_PER_READ = 5_000;

/**
 * Paging for a long session: the app shows the newest commands first and asks for older ones
 * as the user scrolls up, instead of replaying every event of the session over `/ws`.
 * A command's place is its first event; the first page also carries every command of the
 * session still running, wherever it began, so no live command is left out.
 */
export function registerSessionHistory(app: FastifyInstance, rt: Runtime): void {
  // A command's first event: no earlier event has its command id (walks the session's index
  // backwards from the cursor, one index probe per event, so a page costs its own size).
  const firstEvents = rt.db.prepare(
    `SELECT e.id, e.command_id AS commandId FROM events e
     WHERE e.session_id = ? AND e.id < ? AND e.command_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM events p WHERE p.command_id = e.command_id AND p.id < e.id)
     ORDER BY e.id DESC LIMIT ?`,
  );

  app.get('/sessions/:id/history', async (request) => {
    const { id } = request.params as { id: string };
    const parsed = SessionHistoryQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RalexError('bad_request', `${issue.path.join('.') || 'query'}: ${issue.message}`);
    }
    if (!rt.sessions.get(id)) throw new RalexError('not_found', `No session ${id}.`);
    const { before, limit } = parsed.data;
    const lastEventId = rt.bus.log.lastId();
    const firsts = firstEvents.all(id, before ?? lastEventId + 1, limit + 1) as {
      id: number;
      commandId: string;
    }[];
    const page = firsts.slice(0, limit);
    const commandIds = new Set(page.map((f) => f.commandId));
    if (before === undefined) {
      for (const running of rt.running.values())
        if (running.sessionId === id) commandIds.add(running.commandId);
    }
    const events = [...commandIds].flatMap((commandId) => eventsOf(rt, commandId, lastEventId));
    events.sort((a, b) => a.id - b.id);
    const older = firsts.length > limit ? page.at(-1)!.id : null;
    return { sessionId: id, events, lastEventId, older } satisfies SessionHistoryPage;
  });
}

/** Every event of one command up to `lastId`, however many. */
function eventsOf(rt: Runtime, commandId: string, lastId: number): RalexEvent[] {
  const out: RalexEvent[] = [];
  for (let afterId = 0; ; ) {
    const page = rt.bus.log.read({ commandId, afterId, limit: EVENTS_PER_READ });
    for (const event of page) if (event.id <= lastId) out.push(event);
    if (page.length < EVENTS_PER_READ) return out;
    afterId = page.at(-1)!.id;
  }
}
