import type { EventLog } from '../store/event-log.js';
import type { Clock } from '../util/ids.js';
import type { EventBody, EventScope, RalexEvent } from './events.js';

/** Receives every published event, in id order. */
export type EventListener = (event: RalexEvent) => void;

/**
 * The in-memory event bus. `publish` first appends to the persistent log (which assigns the
 * monotonic id), then hands the event to every listener synchronously — so a listener that
 * subscribed before reading the log for replay can never miss or double an event.
 */
export interface EventBus {
  publish(scope: EventScope, body: EventBody): RalexEvent;
  subscribe(listener: EventListener): () => void;
  /** The persistent log behind the bus, for replay. */
  readonly log: EventLog;
}

/** Creates a bus that persists to `log`. A throwing listener is reported, never breaks the publisher. */
export function createEventBus(
  log: EventLog,
  now: Clock,
  onListenerError?: (error: unknown) => void,
): EventBus {
  const listeners = new Set<EventListener>();
  return {
    log,
    publish(scope, body) {
      const event = log.append(scope, body, now().toISOString());
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onListenerError?.(error);
        }
      }
      return event;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
