import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkpointStats } from '../../engine/checkpoint/checkpoint-stats.js';
import { RalexError } from '../../errors.js';
import { budgetStatus } from '../../models/budget-status.js';
import type { Runtime } from '../../runtime.js';
import { createBackfill } from '../../stats/backfill-stats.js';
import type { DashboardData } from '../../stats/dashboard-data.js';
import { queryDashboard } from '../../stats/dashboard-query.js';

const MAX_RANGE_MS = 400 * 86_400_000;
const CHECKPOINTS_CACHE_MS = 30_000;
const RELATIVE = /^(\d{1,4})([hd])$/;

/** `GET /api/dashboard` query: `since` as an ISO time or `24h`/`7d`/`30d` back from now; `until` defaults to now. */
export const DashboardQuerySchema = z.strictObject({
  since: z.string().max(40).optional(),
  until: z.string().max(40).optional(),
});

/**
 * `GET /api/dashboard?since=7d`: the dashboard's figures, read from the store's statistics.
 * Also counts, in the background and a batch at a time, the events of a store from before
 * statistics existed, so older history shows too.
 */
export function registerDashboardRoute(
  app: FastifyInstance,
  rt: Runtime,
  options: { backfill?: boolean } = {},
): void {
  let kept: { at: number; value: DashboardData['checkpoints']['kept'] } | null = null;
  const checkpointsKept = async () => {
    if (kept && Date.now() - kept.at < CHECKPOINTS_CACHE_MS) return kept.value;
    const value = await checkpointStats(rt.root)
      .then((s) => ({ count: s.count, approxBytes: s.approxBytes, oldest: s.oldest }))
      .catch(() => null);
    kept = { at: Date.now(), value };
    return value;
  };

  app.get('/dashboard', async (request) => {
    const parsed = DashboardQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success)
      throw new RalexError('bad_request', `Unknown dashboard parameter: ${parsed.error.issues[0]?.message}`, {
        hint: 'Use ?since=24h, ?since=7d, ?since=30d or an ISO time, and optionally &until=<ISO time>.',
      });
    const now = rt.clock();
    const until = parsed.data.until ? instant(parsed.data.until, now, 'until') : now;
    const since = instant(parsed.data.since ?? '7d', until, 'since');
    if (since >= until || until.getTime() - since.getTime() > MAX_RANGE_MS)
      throw new RalexError(
        'bad_request',
        'The dashboard range must run forwards and span at most 400 days.',
        {
          hint: 'Pick a since before until, e.g. ?since=30d.',
        },
      );
    const budgets = budgetStatus(
      { ledger: rt.models.ledger, meter: rt.models.meter, budgets: rt.config.preferences.budgets },
      { recent: 0 },
    ).windows.filter((w) => w.period !== 'session');
    return queryDashboard(rt.db, {
      since,
      until,
      now,
      checkpointsKept: await checkpointsKept(),
      budgets: budgets.map(({ calls: _calls, ...w }) => w),
    });
  });

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const backfill = createBackfill(rt.stats, rt.bus.log);
  const step = () => {
    if (stopped || !rt.db.open) return;
    try {
      if (backfill.step().done) return;
    } catch (error) {
      console.error('ralex: counting older events for the dashboard failed:', (error as Error).message);
      return;
    }
    timer = setTimeout(step, 5);
    timer.unref();
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  if (options.backfill !== false) {
    timer = setTimeout(step, 50);
    timer.unref();
  }
  app.addHook('onClose', async () => stop());
  // The store may close before the server does (a runtime closed first): the batches stop with it.
  rt.onClose(stop);
}

/** An ISO time, or a relative one (`24h`, `7d`) before `from`. */
function instant(text: string, from: Date, name: string): Date {
  const relative = RELATIVE.exec(text);
  if (relative) {
    const hours = Number(relative[1]) * (relative[2] === 'd' ? 24 : 1);
    return new Date(from.getTime() - hours * 3_600_000);
  }
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new RalexError('bad_request', `${name} is neither an ISO time nor like 24h or 7d: "${text}".`, {
      hint: `Use ?${name}=7d or ?${name}=2026-12-01T00:00:00Z.`,
    });
  return at;
}
