import { afterEach, describe, expect, it } from 'vitest';
import { DashboardDataSchema } from '../src/stats/dashboard-data.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

/**
 * $1 per million input tokens and $2 per million output tokens; a daily budget of $1, monthly $10.
 * No retries, so the provider's 503 is passed on whatever the backoff's jitter draws (with a retry
 * allowed, a draw under the wait limit would answer the first chat with the second reply).
 */
const PREFERENCES = `models:
  overrides:
    "openai:scripted-model": { input: 1, output: 2, max_output: 4000 }
budgets:
  daily: 1
  monthly: 10
  timezone: utc
routing:
  retries: 0
`;

let ralex: RalexUnderTest | undefined;
afterEach(async () => {
  await ralex?.close();
  ralex = undefined;
});

const scrape = async (r: RalexUnderTest) => (await r.call('/metrics')).text();
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
};
const chat = (r: RalexUnderTest) =>
  r.call('/v1/chat/completions', {
    method: 'POST',
    body: JSON.stringify({
      model: 'openai:scripted-model',
      messages: [{ role: 'user', content: 'hello' }],
    }),
  });
const dashboard = async (r: RalexUnderTest) =>
  DashboardDataSchema.parse(await json(await r.call('/api/dashboard?since=24h')));
/** What the ledger itself charged today (the budget's own window). */
const ledgerToday = (r: RalexUnderTest) => {
  const day = r.rt.models.meter.windows({ sessionId: null }).find((w) => w.period === 'daily')!;
  return r.rt.models.ledger.totals([day.key]).get(day.key)!.spent;
};

describe('model calls on the dashboard and in /metrics', () => {
  it('shows tokens and cost by model and path, upstream errors and latency by provider, and spend against the budgets', async () => {
    ralex = await startRalex({
      files: { 'README.md': '# demo\n', 'src/app.js': 'export const a = 1;\n' },
      preferences: PREFERENCES,
      script: [
        { text: 'It exports a.', usage: { prompt_tokens: 1000, completion_tokens: 500 } },
        // Two pass-through chats: the provider fails the first (its 503 is passed on), answers the second.
        { status: 503, message: 'overloaded' },
        { text: 'hi', usage: { prompt_tokens: 2000, completion_tokens: 100 } },
      ],
    });
    const explained = await json(
      await ralex.call('/api/commands', {
        method: 'POST',
        body: JSON.stringify({ text: 'explain src/app.js', wait: true }),
      }),
    );
    expect(explained.status).toBe('succeeded');
    expect((await chat(ralex)).status).toBe(503);
    expect((await chat(ralex)).status).toBe(200);

    const data = await dashboard(ralex);
    const row = (path: string) => data.calls.rows.find((r) => r.path === path);
    expect(row('agent')).toEqual({
      model: 'openai:scripted-model',
      path: 'agent',
      calls: 1,
      errors: 0,
      inputTokens: 1000,
      outputTokens: 500,
      cost: 0.002,
      priced: 1,
    });
    expect(row('pass-through')).toMatchObject({ calls: 2, errors: 1, inputTokens: 2000, outputTokens: 100 });
    expect(row('pass-through')!.cost).toBeCloseTo(0.0022, 10);
    // The dashboard's cost is the ledger's, to the cent and below.
    expect(data.calls.cost).toBeCloseTo(ledgerToday(ralex), 10);
    expect(data.calls.cost).toBeCloseTo(0.0042, 10);
    expect(data.calls.providers).toEqual([
      expect.objectContaining({ provider: 'openai', calls: 3, errors: 1, errorsByKind: { http_503: 1 } }),
    ]);
    expect(data.calls.providers[0]!.latency.n).toBe(2);
    expect(data.calls.providers[0]!.latency.p50).toBeGreaterThan(0);
    expect(data.costPerDay.dailyLimit).toBe(1);
    expect(data.costPerDay.t.length).toBeGreaterThanOrEqual(7);
    expect(data.costPerDay.cost.at(-1)).toBeCloseTo(0.0042, 10);
    // Days without a priced call are unknown, not a made-up zero.
    expect(data.costPerDay.cost[0]).toBeNull();
    const daily = data.budgets!.find((b) => b.period === 'daily')!;
    expect(daily).toMatchObject({ limit: 1, reserved: 0 });
    expect(daily.spent).toBeCloseTo(0.0042, 10);
    expect(daily.remaining).toBeCloseTo(0.9958, 10);
    expect(data.budgets!.find((b) => b.period === 'weekly')).toMatchObject({ limit: null, remaining: null });

    const text = await scrape(ralex);
    const m = 'model="openai:scripted-model"';
    expect(value(text, `ralex_model_cost_usd_total{${m},path="agent"}`)).toBeCloseTo(0.002, 10);
    expect(value(text, `ralex_model_cost_usd_total{${m},path="pass-through"}`)).toBeCloseTo(0.0022, 10);
    expect(value(text, `ralex_model_tokens_total{${m},path="pass-through",kind="input"}`)).toBe(2000);
    expect(value(text, `ralex_model_calls_total{${m},path="pass-through"}`)).toBe(2);
    expect(value(text, `ralex_model_call_errors_total{${m},path="pass-through"}`)).toBe(1);
    expect(value(text, 'ralex_upstream_requests_total{provider="openai"}')).toBe(3);
    expect(value(text, 'ralex_upstream_errors_total{provider="openai",kind="http_503"}')).toBe(1);
    expect(text).toContain('# TYPE ralex_upstream_latency_seconds histogram');
    expect(value(text, 'ralex_upstream_latency_seconds_count{provider="openai"}')).toBe(2);
    expect(value(text, 'ralex_upstream_latency_seconds_bucket{provider="openai",le="+Inf"}')).toBe(2);
    expect(value(text, 'ralex_budget_limit_usd{period="daily"}')).toBe(1);
    expect(value(text, 'ralex_budget_remaining_usd{period="daily"}')).toBeCloseTo(0.9958, 10);
    expect(value(text, 'ralex_budget_remaining_usd{period="weekly"}')).toBeUndefined();
    expect(value(text, 'ralex_budget_spent_usd{period="monthly"}')).toBeCloseTo(0.0042, 10);
  }, 30_000);

  it('an upstream reporting negative usage cannot take cost off the dashboard or the budget', async () => {
    ralex = await startRalex({
      preferences: PREFERENCES,
      script: [{ text: 'refund me', usage: { prompt_tokens: -5_000_000, completion_tokens: -1_000_000 } }],
    });
    expect((await chat(ralex)).status).toBe(200);
    const data = await dashboard(ralex);
    expect(data.calls.cost).toBeGreaterThan(0);
    expect(data.calls.cost).toBeCloseTo(ledgerToday(ralex), 10);
    expect(data.calls.rows[0]!.inputTokens).toBeGreaterThan(0);
    expect(data.calls.rows[0]!.outputTokens).toBeGreaterThanOrEqual(0);
    const text = await scrape(ralex);
    expect(
      value(text, 'ralex_model_cost_usd_total{model="openai:scripted-model",path="pass-through"}'),
    ).toBeGreaterThan(0);
    expect(value(text, 'ralex_budget_remaining_usd{period="daily"}')).toBeLessThan(1);
  });

  it('says cost is unknown, not zero, for a model without a price', async () => {
    ralex = await startRalex({
      script: [{ text: 'hi', usage: { prompt_tokens: 10, completion_tokens: 2 } }],
    });
    expect((await chat(ralex)).status).toBe(200);
    const data = await dashboard(ralex);
    expect(data.calls.cost).toBeNull();
    expect(data.calls.unpriced).toBe(1);
    const charged = ralex.rt.models.ledger.recent(1)[0]!;
    expect(data.calls.rows[0]).toMatchObject({
      calls: 1,
      priced: 0,
      cost: null,
      inputTokens: charged.inputTokens,
      outputTokens: charged.outputTokens,
    });
    expect(data.costPerDay.cost.every((c) => c === null)).toBe(true);
    expect(data.budgets!.every((b) => b.limit === null)).toBe(true);
  });
});
