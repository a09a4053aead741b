import type { RalexEvent } from './event-types.js';

/** The connection as the app shows it. */
export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Callbacks and where to connect. */
export interface EventStreamOptions {
  token: () => string;
  session: string;
  /** Replays from after this id (0: the session's whole history). */
  since: number;
  onEvent(event: RalexEvent, live: boolean): void;
  onStatus(status: StreamStatus, detail: string): void;
  /** The server refused the token (close code 1008/4401 or HTTP 401 on upgrade). */
  onUnauthorized(): void;
  /** For tests: how long to wait before the nth retry. */
  backoffMs?: (attempt: number) => number;
}

/** A live event stream that reconnects by itself. */
export interface EventStream {
  /** The last event id delivered (events are delivered once, in order). */
  readonly lastId: number;
  /** Closes the socket now and reconnects (after the network came back, or to test a cut). */
  reconnect(): void;
  close(): void;
}

const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 10_000;

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 15 s. */
export const defaultBackoff = (attempt: number) =>
  Math.min(15_000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);

/**
 * Follows `/ws?session=…&since=…`: replays what was missed, then live events. On a cut it
 * reconnects with backoff from the last id seen, so no event is lost; an event at or below that
 * id is dropped, so none is shown twice. A ping every 20 s finds dead connections.
 */
export function openEventStream(options: EventStreamOptions): EventStream {
  let lastId = options.since;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const backoff = options.backoffMs ?? defaultBackoff;

  const connect = () => {
    clearTimeout(retryTimer);
    if (closed) return;
    if (!navigator.onLine) {
      options.onStatus('offline', 'No network');
      return;
    }
    options.onStatus(attempt ? 'reconnecting' : 'connecting', '');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = new URLSearchParams({
      since: String(lastId),
      session: options.session,
      token: options.token(),
    });
    const ws = new WebSocket(`${scheme}://${location.host}/ws?${query}`);
    socket = ws;
    let live = false;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      clearInterval(pingTimer);
      pingTimer = setInterval(() => {
        ws.send('{"type":"ping"}');
        pongTimer = setTimeout(() => silent(ws), PONG_WITHIN_MS);
      }, PING_EVERY_MS);
    };
    ws.onmessage = (message) => {
      // A socket being replaced (reconnect, session switch) says nothing more; the new one replays.
      if (closed || socket !== ws) return;
      const data = JSON.parse(String(message.data)) as { type: string; event?: RalexEvent; lastId?: number };
      if (data.type === 'event' && data.event) {
        if (data.event.id <= lastId) return;
        lastId = data.event.id;
        options.onEvent(data.event, live);
      } else if (data.type === 'replayed') {
        live = true;
        attempt = 0;
        options.onStatus('live', '');
      } else if (data.type === 'pong') clearTimeout(pongTimer);
    };
    ws.onclose = (event) => lost(ws, event.reason, opened);
  };

  /** The socket is gone (closed, or silent past a ping): retry with backoff from the last id. */
  const lost = (ws: WebSocket, reason: string, opened: boolean) => {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    if (socket !== ws || closed) return;
    socket = null;
    if (!opened && attempt >= 1) void probeAuth();
    const wait = backoff(attempt++);
    options.onStatus(
      navigator.onLine ? 'reconnecting' : 'offline',
      reason || `retrying in ${Math.round(wait / 1000)} s`,
    );
    retryTimer = setTimeout(connect, wait);
  };

  /** A dead connection may take long to report its close: give up on it now. */
  const silent = (ws: WebSocket) => {
    lost(ws, 'no answer to a ping', true);
    ws.close(4000, 'no pong');
  };

  /** A refused upgrade looks like any failed connection; ask over HTTP whether the token is the reason. */
  const probeAuth = async () => {
    const response = await fetch('/api/sessions', {
      headers: { authorization: `Bearer ${options.token()}` },
    }).catch(() => null);
    if (response?.status === 401) options.onUnauthorized();
  };

  const reconnect = () => {
    attempt = 0;
    const old = socket;
    socket = null;
    old?.close(4001, 'reconnect');
    connect();
  };
  const onOnline = () => reconnect();
  const onOffline = () => {
    options.onStatus('offline', 'No network');
    const old = socket;
    socket = null;
    old?.close(4002, 'offline');
    clearTimeout(retryTimer);
  };
  addEventListener('online', onOnline);
  addEventListener('offline', onOffline);
  // Back from a locked phone or a background tab: check the socket at once instead of waiting for the next ping.
  const onVisible = () => {
    if (document.visibilityState !== 'visible' || closed) return;
    if (!socket) return reconnect();
    if (socket.readyState !== WebSocket.OPEN) return;
    const ws = socket;
    ws.send('{"type":"ping"}');
    clearTimeout(pongTimer);
    pongTimer = setTimeout(() => silent(ws), 3_000);
  };
  document.addEventListener('visibilitychange', onVisible);
  connect();

  return {
    get lastId() {
      return lastId;
    },
    reconnect,
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      clearTimeout(pongTimer);
      removeEventListener('online', onOnline);
      removeEventListener('offline', onOffline);
      document.removeEventListener('visibilitychange', onVisible);
      socket?.close(1000, 'closed');
      socket = null;
    },
  };
}
