import type { RalexEvent } from './event-types.js';

/** Events after which the dashboard's figures change. */
const CHANGES = new Set([
  'command.finished',
  'approval.requested',
  'approval.resolved',
  'checkpoint.created',
  'command.queued',
]);

/** Options of the dashboard's live feed. */
export interface DashboardLiveOptions {
  token: () => string;
  /** Follow from after this event id (the one the figures were read at). */
  since: number;
  /** Called (at most every `debounceMs`) when the figures should be read again. */
  refresh(): void;
  /** Commands running now, from accepted/finished events seen live. */
  onRunning(count: number): void;
  debounceMs?: number;
  /** Also refresh this often: commands from `ralex run` in a terminal reach the store, not this socket. */
  pollMs?: number;
}

/**
 * Follows `/ws` (every session) from the figures' last event id and asks for a refresh shortly
 * after anything that changes them; polls besides, for commands another process ran.
 */
export function followDashboard(options: DashboardLiveOptions): { close(): void } {
  const debounceMs = options.debounceMs ?? 400;
  const running = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let socket: WebSocket | null = null;
  let closed = false;
  let lastId = options.since;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(options.refresh, debounceMs);
  };
  const connect = () => {
    if (closed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = new URLSearchParams({ since: String(lastId), token: options.token() });
    const ws = new WebSocket(`${scheme}://${location.host}/ws?${query}`);
    socket = ws;
    ws.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as { type: string; event?: RalexEvent };
      const event = data.event;
      if (data.type !== 'event' || !event) return;
      lastId = Math.max(lastId, event.id);
      if (event.type === 'command.accepted' && event.commandId) running.add(event.commandId);
      if (event.type === 'command.finished' && event.commandId) running.delete(event.commandId);
      options.onRunning(running.size);
      if (CHANGES.has(event.type)) soon();
    };
    ws.onclose = () => {
      if (!closed) setTimeout(connect, 2_000);
    };
  };
  connect();
  const poll = setInterval(options.refresh, options.pollMs ?? 15_000);
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(poll);
      socket?.close();
    },
  };
}
