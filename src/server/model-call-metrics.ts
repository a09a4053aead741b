import { Counter, Gauge, type Registry } from 'prom-client';
import { budgetStatus } from '../models/budget-status.js';
import type { Runtime } from '../runtime.js';
import { bucketUpperMs } from '../stats/latency-buckets.js';
import { createStoreTotals, type Total } from '../stats/store-totals.js';

/** Prometheus `le` edges of the upstream latency histogram, in seconds. */
const LE = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

const pair = (label: string) => {
  const bar = label.lastIndexOf('|');
  return bar < 0 ? [label, 'unknown'] : [label.slice(0, bar), label.slice(bar + 1)];
};

/**
 * The model calls' metrics, read from the store at each scrape (every process, since the store
 * began): calls, tokens and cost by model and path; per provider its calls, its upstream errors
 * by kind and its latency as a histogram; and each budget window's limit, spend and what remains.
 */
export function registerModelCallMetrics(registry: Registry, rt: Runtime): void {
  const totals = createStoreTotals(rt.db);
  const byModelPath = (metric: Counter, rows: Total[], extra: Record<string, string> = {}) => {
    for (const t of rows) {
      const [model, path] = pair(t.labels.label!) as [string, string];
      if (t.value) metric.inc({ model, path, ...extra }, t.value);
    }
  };
  new Counter({
    name: 'ralex_model_calls_total',
    help: 'Model calls settled by the ledger, by model and path (agent, opencode, ralex-auto, pass-through, client-task, chat, summary).',
    labelNames: ['model', 'path'],
    registers: [registry],
    collect() {
      this.reset();
      byModelPath(this, totals.count('calls'));
    },
  });
  new Counter({
    name: 'ralex_model_call_errors_total',
    help: 'Model calls that failed, by model and path.',
    labelNames: ['model', 'path'],
    registers: [registry],
    collect() {
      this.reset();
      byModelPath(this, totals.count('call_errors'));
    },
  });
  new Counter({
    name: 'ralex_model_tokens_total',
    help: 'Model tokens, by model, path (how the call was made) and kind (input/output); the provider’s usage, or Ralex’s estimate where it reported none.',
    labelNames: ['model', 'path', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      byModelPath(this, totals.count('call_tokens_in'), { kind: 'input' });
      byModelPath(this, totals.count('call_tokens_out'), { kind: 'output' });
    },
  });
  new Counter({
    name: 'ralex_model_cost_usd_total',
    help: 'Model cost in USD, by model and path (only calls whose price is known).',
    labelNames: ['model', 'path'],
    registers: [registry],
    collect() {
      this.reset();
      byModelPath(this, totals.count('call_cost_usd'));
    },
  });
  new Counter({
    name: 'ralex_model_calls_priced_total',
    help: 'Model calls whose price was known (the rest are not in ralex_model_cost_usd_total).',
    labelNames: ['model', 'path'],
    registers: [registry],
    collect() {
      this.reset();
      byModelPath(this, totals.count('call_priced'));
    },
  });
  new Counter({
    name: 'ralex_upstream_requests_total',
    help: 'Model calls sent to each provider.',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of totals.count('upstream_calls'))
        if (t.value) this.inc({ provider: t.labels.label! }, t.value);
    },
  });
  new Counter({
    name: 'ralex_upstream_errors_total',
    help: 'Model calls a provider failed, by kind (http_429, http_503, network, timeout, …).',
    labelNames: ['provider', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of totals.count('upstream_errors')) {
        const [provider, kind] = pair(t.labels.label!) as [string, string];
        if (t.value) this.inc({ provider, kind }, t.value);
      }
    },
  });
  registry.registerMetric(upstreamLatency(totals));
  registerBudgetGauges(registry, rt);
}

/**
 * `ralex_upstream_latency_seconds`: a histogram of answered calls per provider, rebuilt from the
 * store's buckets (about 19% wide) at each scrape; `_sum` is estimated from the buckets' middles.
 */
function upstreamLatency(totals: ReturnType<typeof createStoreTotals>) {
  const name = 'ralex_upstream_latency_seconds';
  const help =
    'Time from sending a model call to its end, per provider (answered calls; every process, from the store).';
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    reset() {},
    async get() {
      const per = new Map<string, { le: number[]; count: number; sum: number }>();
      for (const r of totals.latency('upstream:')) {
        const provider = r.series.slice('upstream:'.length);
        const h = per.get(provider) ?? { le: LE.map(() => 0), count: 0, sum: 0 };
        per.set(provider, h);
        const upper = bucketUpperMs(r.bucket) / 1000;
        LE.forEach((edge, i) => {
          if (upper <= edge * 1.0001) h.le[i]! += r.n;
        });
        h.count += r.n;
        h.sum += r.n * upper * 0.917; // the geometric middle of a bucket 2^(1/4) wide
      }
      const values = [...per.entries()].flatMap(([provider, h]) => [
        ...LE.map((edge, i) => ({
          metricName: `${name}_bucket`,
          labels: { provider, le: edge },
          value: h.le[i]!,
        })),
        { metricName: `${name}_bucket`, labels: { provider, le: '+Inf' }, value: h.count },
        { metricName: `${name}_sum`, labels: { provider }, value: Math.round(h.sum * 1000) / 1000 },
        { metricName: `${name}_count`, labels: { provider }, value: h.count },
      ]);
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
  } as unknown as Parameters<Registry['registerMetric']>[0];
}

/** The budget windows now: limit (when set), spend, held, and what remains. */
function registerBudgetGauges(registry: Registry, rt: Runtime): void {
  const windows = () =>
    budgetStatus(
      { ledger: rt.models.ledger, meter: rt.models.meter, budgets: rt.config.preferences.budgets },
      { recent: 0 },
    ).windows.filter((w) => w.period !== 'session');
  const gauge = (
    name: string,
    help: string,
    pick: (w: ReturnType<typeof windows>[number]) => number | null,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['period'],
      registers: [registry],
      collect() {
        this.reset();
        for (const w of windows()) {
          const v = pick(w);
          if (v !== null) this.set({ period: w.period }, v);
        }
      },
    });
  gauge(
    'ralex_budget_limit_usd',
    'The budget of each window (daily, weekly, monthly), where one is set.',
    (w) => w.limit,
  );
  gauge(
    'ralex_budget_spent_usd',
    'USD spent in the current window (every path, every process).',
    (w) => w.spent,
  );
  gauge(
    'ralex_budget_reserved_usd',
    'USD held by model calls under way in the current window.',
    (w) => w.reserved,
  );
  gauge(
    'ralex_budget_remaining_usd',
    'USD left in the current window, where a budget is set.',
    (w) => w.remaining,
  );
}
