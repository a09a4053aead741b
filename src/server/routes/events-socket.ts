import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { RalexError } from '../../errors.js';
import type { RalexEvent } from '../../events/events.js';
import type { Runtime } from '../../runtime.js';
import { createEventFanout, eventFrame } from './event-fanout.js';

const REPLAY_PAGE = 1_000;
/** A client this far behind is dropped; it reconnects and replays from its last id. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * `GET /ws?since=<last event id>[&session=<id>]`: every event (of the session, plus every live
 * `budget.alert`), after a replay of those the client missed. The bus listener is attached before the log is read, so nothing published
 * in between is lost or sent twice. Browsers pass the token as `?token=`; the Origin must match
 * the host (a page on another site cannot listen in). Live events go through one fan-out: each
 * is serialised once for all sockets.
 */
export function registerEventsSocket(app: FastifyInstance, rt: Runtime): void {
  const fanout = createEventFanout(rt.bus, (error) => console.error('ralex: /ws send failed:', error));
  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (request) => {
        const origin = request.headers.origin;
        if (origin && new URL(origin).host !== request.headers.host) {
          throw new RalexError('forbidden', `WebSocket connections from ${origin} are not allowed.`);
        }
      },
    },
    (socket: WebSocket, request) => {
      const query = request.query as { since?: string; session?: string };
      const since = Number(query.since ?? 0);
      const session = query.session;
      if (!Number.isInteger(since) || since < 0) {
        socket.close(1008, 'since must be a whole number: the last event id seen');
        return;
      }
      let lastSent = since;
      let queue: RalexEvent[] | null = [];
      const send = (event: RalexEvent, frame?: Buffer) => {
        if (event.id <= lastSent || socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'Too far behind; reconnect with since=<last id> to catch up.');
          return;
        }
        socket.send(frame ?? eventFrame(event), { binary: false });
        lastSent = event.id;
      };
      const remove = fanout.add({
        ...(session ? { sessionId: session } : {}),
        deliver: (frame, event) => (queue ? queue.push(event) : send(event, frame)),
      });
      socket.on('close', remove);
      socket.on('message', (data) => {
        const text = data.toString();
        if (text === '{"type":"ping"}') socket.send('{"type":"pong"}');
      });

      for (
        let page = rt.bus.log.read({ afterId: since, sessionId: session, limit: REPLAY_PAGE });
        page.length;
      ) {
        for (const event of page) send(event);
        page =
          page.length < REPLAY_PAGE
            ? []
            : rt.bus.log.read({ afterId: lastSent, sessionId: session, limit: REPLAY_PAGE });
      }
      for (const event of queue) send(event);
      queue = null;
      socket.send(JSON.stringify({ type: 'replayed', lastId: lastSent }));
    },
  );
}
