import { afterEach, describe, expect, it } from 'vitest';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

/** $1 per million input tokens and $2 per million output tokens for the scripted model. */
const PRICED = `models:
  overrides:
    "openai:scripted-model": { input: 1, output: 2, max_output: 4000 }
`;

let ralex: RalexUnderTest | undefined;
let t: RuntimeUnderTest | undefined;
afterEach(async () => {
  await ralex?.close();
  await t?.close();
  ralex = t = undefined;
});

const today = (r: RalexUnderTest) => {
  const day = r.rt.models.meter.windows({ sessionId: null }).find((w) => w.period === 'daily')!;
  return r.rt.models.ledger.totals([day.key]).get(day.key)!;
};

/** Spends `usd` on the scripted model, as an earlier call would have. */
async function spend(r: RalexUnderTest, usd: number) {
  const info = r.rt.models.describe('openai:scripted-model');
  const call = await r.rt.models.meter.start({
    path: 'pass-through',
    info,
    inputTokens: usd * 1e6,
    maxOutputTokens: 0,
    streaming: false,
    commandId: null,
    sessionId: null,
  });
  call.finish({ inputTokens: usd * 1e6, outputTokens: 0 }, { outputTokens: 0 });
}

const chat = (r: RalexUnderTest, body: Record<string, unknown>) =>
  r.call('/v1/chat/completions', {
    method: 'POST',
    body: JSON.stringify({
      model: 'openai:scripted-model',
      messages: [{ role: 'user', content: 'x'.repeat(4000) }],
      ...body,
    }),
  });

describe('budgets on the OpenAI API', () => {
  it('50 concurrent requests against a nearly spent daily budget overspend by at most one request’s estimate', async () => {
    // The provider holds every request it gets until all 50 are decided: the holds are all taken
    // while the others are in flight (truly concurrent, not one after another).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    ralex = await startRalex({
      preferences: `${PRICED}budgets:\n  daily: 0.05\n`,
      // Each answer is 20% longer than its 500-token estimate.
      script: Array.from({ length: 50 }, () => async () => {
        await gate;
        return { text: 'fine', usage: { prompt_tokens: 1000, completion_tokens: 600 } };
      }),
    });
    await ralex.rt.models.ready();
    await spend(ralex, 0.04);
    let refusedSoFar = 0;
    const pending = Array.from({ length: 50 }, () =>
      // 3,992 characters and the message's overhead: 1,000 prompt tokens as Ralex counts them.
      chat(ralex!, { max_tokens: 500, messages: [{ role: 'user', content: 'x'.repeat(3992) }] }).then((r) => {
        if (r.status === 402) refusedSoFar++;
        return r;
      }),
    );
    const decided = () => refusedSoFar + ralex!.model!.chatRequests().length === 50;
    for (let waited = 0; !decided() && waited < 20_000; waited += 10)
      await new Promise((r) => setTimeout(r, 10));
    expect(decided()).toBe(true);
    // $0.01 was left and each request holds $0.002 (1000 prompt tokens + 500 output at most):
    // exactly five are under way at once, their holds all counted.
    expect(ralex.model!.chatRequests()).toHaveLength(5);
    expect(today(ralex).reserved).toBeCloseTo(0.01, 9);
    release();
    const responses = await Promise.all(pending);
    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 402);
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(45);
    const body = await json(refused[0]!);
    expect(body.error.code).toBe('budget_exceeded');
    expect(body.error.message).toMatch(/daily budget: \$[\d.]+ of \$0\.05 remains/);
    expect(body.error.message).toMatch(/resets in/);
    // Spent: $0.04 + 5 × $0.0022 = $0.051, within one request's estimate ($0.002) of the limit.
    const totals = today(ralex);
    expect(totals.reserved).toBeCloseTo(0, 12);
    expect(totals.spent).toBeCloseTo(0.051, 9);
    expect(totals.spent).toBeLessThanOrEqual(0.05 + 0.002 + 1e-9);
  }, 30_000);

  it('a client asking for n answers at once holds n answers’ worth: concurrent n=4 requests cannot overspend', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    ralex = await startRalex({
      preferences: `${PRICED}budgets:\n  daily: 0.05\n`,
      // Four answers of 500 tokens each: $0.001 of prompt and $0.004 of output per request.
      script: Array.from({ length: 5 }, () => async () => {
        await gate;
        return { text: 'fine', usage: { prompt_tokens: 1000, completion_tokens: 2000 } };
      }),
    });
    await ralex.rt.models.ready();
    await spend(ralex, 0.04);
    let refusedSoFar = 0;
    const pending = Array.from({ length: 5 }, () =>
      chat(ralex!, { n: 4, max_tokens: 500, messages: [{ role: 'user', content: 'x'.repeat(3992) }] }).then(
        (r) => {
          if (r.status === 402) refusedSoFar++;
          return r;
        },
      ),
    );
    const decided = () => refusedSoFar + ralex!.model!.chatRequests().length === 5;
    for (let waited = 0; !decided() && waited < 20_000; waited += 10)
      await new Promise((r) => setTimeout(r, 10));
    // $0.01 left, $0.005 held by each: two under way at once, not five.
    expect(ralex.model!.chatRequests()).toHaveLength(2);
    release();
    const responses = await Promise.all(pending);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(2);
    expect(today(ralex).spent).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  it('stops a stream that crosses the budget and charges what it streamed, flagged as estimated', async () => {
    ralex = await startRalex({
      preferences: `${PRICED}budgets:\n  daily: 0.004\n`,
      // ~16000 characters ≈ 4000 output tokens = $0.008: twice what the budget allows. No usage reported.
      script: [{ text: 'word '.repeat(3200), chunkSize: 40, noUsage: true, delayMs: 1 }],
    });
    const response = await chat(ralex, { stream: true });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"code":"budget_exceeded"');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    const row = ralex.rt.models.ledger.recent(1)[0]!;
    expect(row).toMatchObject({ state: 'settled', status: 'stopped', estimated: true, path: 'pass-through' });
    expect(row.cost!).toBeGreaterThan(0.002);
    expect(today(ralex).spent).toBeLessThanOrEqual(0.004 + 256 * 2e-6 + 1e-9);
    // The upstream was told to stop: the scripted server saw the client go.
    await new Promise((r) => setTimeout(r, 100));
    expect(ralex.model!.chatRequests()[0]?.aborted).toBe(true);
  });

  it('records streamed usage it asked for, without showing the client a usage chunk it did not ask for', async () => {
    ralex = await startRalex({
      preferences: PRICED,
      script: [{ text: 'streamed answer', usage: { prompt_tokens: 1200, completion_tokens: 30 } }],
    });
    const text = await (await chat(ralex, { stream: true })).text();
    expect(text).not.toContain('"usage":{');
    // Ralex asked the provider for the usage…
    expect(ralex.model!.chatRequests()[0]?.body?.stream_options).toEqual({ include_usage: true });
    // …and charged it: 1200 × $1/M + 30 × $2/M.
    expect(ralex.rt.models.ledger.recent(1)[0]).toMatchObject({
      inputTokens: 1200,
      outputTokens: 30,
      cost: 0.00126,
      estimated: false,
      status: 'ok',
    });
  });

  it('a per-session budget refuses the spent conversation only; another conversation goes on', async () => {
    ralex = await startRalex({
      preferences: `${PRICED}budgets:\n  per_session: 0.003\n`,
      script: Array.from({ length: 2 }, () => ({
        text: 'fine',
        usage: { prompt_tokens: 1000, completion_tokens: 600 },
      })),
    });
    const inChat = (chatId: string) =>
      ralex!.call('/v1/chat/completions', {
        method: 'POST',
        headers: { 'x-openwebui-chat-id': chatId },
        body: JSON.stringify({
          model: 'openai:scripted-model',
          max_tokens: 500,
          messages: [{ role: 'user', content: 'x'.repeat(3992) }],
        }),
      });
    expect((await inChat('chat-a')).status).toBe(200); // $0.0022 of chat-a's $0.003
    const refused = await inChat('chat-a');
    expect(refused.status).toBe(402);
    const body = await json(refused);
    expect(body.error.message).toMatch(/session budget: \$0\.0008 of \$0\.003 remains/);
    expect((await inChat('chat-b')).status).toBe(200);
    // A ralex-agent message that is no command is a chat of the same conversation: refused too.
    const agentChat = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      headers: { 'x-openwebui-chat-id': 'chat-a' },
      body: JSON.stringify({
        model: 'ralex-agent',
        max_tokens: 500,
        messages: [{ role: 'user', content: 'hello there, how are you today?' }],
      }),
    });
    expect(agentChat.status).toBe(402);
    expect((await json(agentChat)).error.code).toBe('budget_exceeded');
    expect(ralex.model!.chatRequests()).toHaveLength(2);
    const sessions = ralex.rt.models.ledger
      .recent(3)
      .filter((r) => r.state === 'settled')
      .map((r) => r.sessionId);
    expect(new Set(sessions).size).toBe(2);
  });

  it('GET /api/budget shows spend, limits and what remains, and the latest calls', async () => {
    ralex = await startRalex({
      preferences: `${PRICED}budgets:\n  daily: 1\n  per_session: 0.5\n`,
      script: [{ text: 'hi', usage: { prompt_tokens: 1000, completion_tokens: 500 } }],
    });
    expect((await chat(ralex, { messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
    const status = await json(await ralex.call('/api/budget?session=ses_x'));
    expect(status.currency).toBe('USD');
    expect(status.windows.map((w: { period: string }) => w.period)).toEqual([
      'session',
      'daily',
      'weekly',
      'monthly',
    ]);
    expect(status.windows[1]).toMatchObject({
      limit: 1,
      spent: 0.002,
      reserved: 0,
      remaining: 0.998,
      percent: 0.2,
    });
    expect(status.windows[0]).toMatchObject({ limit: 0.5, spent: 0 });
    expect(status.recent[0]).toMatchObject({
      model: 'openai:scripted-model',
      path: 'pass-through',
      cost: 0.002,
    });
    expect((await ralex.call('/api/budget?session=../x')).status).toBe(400);
  });

  it('a hostile upstream cannot refund the budget with negative usage, nor undercharge by reporting none of what it streamed', async () => {
    ralex = await startRalex({
      preferences: `${PRICED}budgets:\n  daily: 1\n`,
      script: [
        { text: 'refund me', usage: { prompt_tokens: -5_000_000, completion_tokens: -1 } },
        { text: 'word '.repeat(2000), usage: { prompt_tokens: 10, completion_tokens: 1 } },
      ],
    });
    expect((await chat(ralex, {})).status).toBe(200);
    expect(await (await chat(ralex, { stream: true })).text()).toContain('[DONE]');
    const [streamed, refund] = ralex.rt.models.ledger.recent(2);
    // Both are charged by Ralex's estimate instead, flagged; spend only ever grows.
    expect(refund).toMatchObject({ estimated: true });
    expect(refund!.cost!).toBeGreaterThan(0.001);
    expect(streamed).toMatchObject({ estimated: true });
    expect(streamed!.outputTokens!).toBeGreaterThan(2000);
    expect(today(ralex).spent).toBeGreaterThan(0.005);
  });

  it('a hostile upstream cannot undercharge by reporting a sliver of the prompt it read; honest cache reads are believed', async () => {
    ralex = await startRalex({
      preferences: `${PRICED}budgets:\n  daily: 1\n`,
      script: [
        // The prompt is ~1000 tokens; the upstream claims it read 3.
        { text: 'cheap', usage: { prompt_tokens: 3, completion_tokens: 1 } },
        {
          text: 'cached',
          usage: {
            prompt_tokens: 1100,
            completion_tokens: 2,
            prompt_tokens_details: { cached_tokens: 1000 },
          },
        },
        // A whole (non-streamed) answer of 2,500 tokens claimed as 1.
        { text: 'word '.repeat(2000), usage: { prompt_tokens: 1000, completion_tokens: 1 } },
      ],
    });
    for (let i = 0; i < 3; i++) expect((await chat(ralex, {})).status).toBe(200);
    const [long, cached, sliver] = ralex.rt.models.ledger.recent(3);
    expect(long).toMatchObject({ estimated: true, outputTokens: 2500 });
    expect(sliver).toMatchObject({ estimated: true, inputTokens: 1002 });
    expect(sliver!.cost!).toBeGreaterThanOrEqual(0.001);
    expect(cached).toMatchObject({ estimated: false, inputTokens: 1100 });
  });

  it('counts the tool definitions and tool calls a request carries, so a provider cannot drop them from its count', async () => {
    ralex = await startRalex({
      preferences: `${PRICED}budgets:\n  daily: 1\n`,
      script: [{ text: 'done', usage: { prompt_tokens: 5, completion_tokens: 1 } }],
    });
    const tool = (i: number) => ({
      type: 'function',
      function: { name: `tool_${i}`, description: 'd'.repeat(400), parameters: { type: 'object' } },
    });
    const response = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({
        model: 'openai:scripted-model',
        tools: Array.from({ length: 10 }, (_, i) => tool(i)), // ~4,700 characters of definitions
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'tool_1', arguments: 'a'.repeat(2000) } },
            ],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'ok' },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const row = ralex.rt.models.ledger.recent(1)[0]!;
    expect(row.estimated).toBe(true);
    expect(row.inputTokens!).toBeGreaterThan(1500);
  });

  it('charges a provider that reports no usage by the estimate, flagged', async () => {
    ralex = await startRalex({ preferences: PRICED, script: [{ text: 'no usage here', noUsage: true }] });
    expect((await chat(ralex, {})).status).toBe(200);
    const row = ralex.rt.models.ledger.recent(1)[0]!;
    expect(row.estimated).toBe(true);
    expect(row.inputTokens).toBe(1000 + 2); // 4000 characters and the message overhead, at 4 a token
    expect(row.cost!).toBeGreaterThan(0.001);
  });

  it('refuses a model command at the guard stage when the day’s budget is spent; direct commands still run', async () => {
    t = await openRuntime({
      files: { 'README.md': '# demo\n' },
      preferences: `${PRICED}budgets:\n  daily: 0.01\n`,
    });
    await t.rt.models.ready();
    const info = t.rt.models.describe('openai:scripted-model');
    (
      await t.rt.models.meter.start({
        path: 'agent',
        info,
        inputTokens: 10_000,
        maxOutputTokens: 0,
        streaming: false,
        commandId: null,
        sessionId: null,
      })
    ).finish({ inputTokens: 10_000, outputTokens: 0 }, { outputTokens: 0 });
    const refused = await t.run('what does this project do');
    expect(refused.status).toBe('failed');
    expect(refused.error?.code).toBe('budget_exceeded');
    expect(refused.reply).toMatch(/^The daily budget is spent: \$0\.0100 of \$0\.01; resets in/);
    expect(refused.stages.map((s) => s.stage)).toEqual(['parse']);
    expect(t.model.chatRequests()).toHaveLength(0);
    const direct = await t.run('what changed');
    expect(direct.status).toBe('succeeded');
    expect(direct.cost).toBe(0);
  });
});
