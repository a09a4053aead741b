import type { EventBus } from '../../events/event-bus.js';
import type { RalexEvent } from '../../events/events.js';

/** One connected listener: which events it wants, and how to hand it one already serialised. */
export interface FanoutClient {
  /** Only events of this session, and every `budget.alert` (all when absent). */
  sessionId?: string;
  /** Receives the event and its wire frame (`{"type":"event","event":…}` as UTF-8). */
  deliver(frame: Buffer, event: RalexEvent): void;
}

/** Every /ws client behind one bus subscription; `add` returns the function that removes the client. */
export interface EventFanout {
  add(client: FanoutClient): () => void;
  /** How many clients are connected. */
  readonly size: number;
}

/** The wire frame of one event, as the /ws protocol sends it. */
export function eventFrame(event: RalexEvent): Buffer {
  return Buffer.from(`{"type":"event","event":${JSON.stringify(event)}}`);
}

/**
 * Fans the bus out to every socket: each event is serialised (and encoded) once, when the first
 * client that wants it is found, and the same bytes go to every client; a client filtered to
 * another session costs a string comparison. Subscribes to the bus only while a client is connected.
 */
export function createEventFanout(bus: EventBus, onClientError?: (error: unknown) => void): EventFanout {
  const clients = new Set<FanoutClient>();
  let unsubscribe: (() => void) | null = null;
  const onEvent = (event: RalexEvent) => {
    let frame: Buffer | null = null;
    for (const client of clients) {
      // A budget covers every session (a day's spend is everyone's): its alerts go to every listener.
      if (client.sessionId && client.sessionId !== event.sessionId && event.type !== 'budget.alert') continue;
      frame ??= eventFrame(event);
      try {
        client.deliver(frame, event);
      } catch (error) {
        onClientError?.(error); // one broken socket never keeps an event from the others
      }
    }
  };
  return {
    add(client) {
      clients.add(client);
      unsubscribe ??= bus.subscribe(onEvent);
      return () => {
        clients.delete(client);
        if (clients.size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = null;
        }
      };
    },
    get size() {
      return clients.size;
    },
  };
}
