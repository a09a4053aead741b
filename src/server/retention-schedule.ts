import type { FastifyInstance } from 'fastify';
import { compactState } from '../retention/compact-state.js';
import type { Runtime } from '../runtime.js';

const DAY_MS = 86_400_000;

/**
 * While `ralex serve` runs, applies `retention.*` a minute after start and then once a day
 * (timers that never keep the process alive). What went is logged on stderr in one line.
 */
export function scheduleRetention(app: FastifyInstance, rt: Runtime, firstAfterMs = 60_000): void {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    try {
      const r = compactState(rt);
      const total = r.events.deleted + r.audit.dropped + r.sessions.removed.length;
      if (total)
        console.error(
          `ralex: retention removed ${r.events.deleted} events, ${r.audit.dropped} audit entries (sealed), ${r.sessions.removed.length} session logs`,
        );
    } catch (error) {
      console.error('ralex: retention failed:', (error as Error).message);
    }
    timer = setTimeout(run, DAY_MS);
    timer.unref();
  };
  timer = setTimeout(run, firstAfterMs);
  timer.unref();
  app.addHook('onClose', async () => clearTimeout(timer));
}
