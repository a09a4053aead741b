import { afterEach, describe, expect, it } from 'vitest';
import type { RalexEvent } from '../src/events/events.js';
import { type ScriptedModelServer, startScriptedModelServer } from './fixtures/scripted-model-server.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

let backup: ScriptedModelServer | undefined;
let t: RuntimeUnderTest | undefined;
let ralex: RalexUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  await ralex?.close();
  await backup?.close();
  t = ralex = backup = undefined;
});

/** Preferences with the backup provider; `routing` lines are added to (and override) the routing section. */
const preferences = (backupUrl: string, routing = '') => `models:
  default: openai:scripted-model
  fallbacks: [backup:backup-model]
  overrides:
    "openai:scripted-model": { input: 1, output: 2 }
    "backup:backup-model": { input: 0.5, output: 1 }
routing:
  mode: off
${routing || '  retries: 1\n'}  max_retry_wait_ms: 2000
providers:
  - id: backup
    base_url: ${backupUrl}
    models: [backup-model]
`;

describe('fallbacks, retries and cooldowns', () => {
  it('retries a 429 after its retry-after, then moves to the next provider on a 500; every hop is an event and in the result', async () => {
    backup = await startScriptedModelServer({
      models: ['backup-model'],
      script: [{ text: 'The backup answers.', usage: { prompt_tokens: 400, completion_tokens: 10 } }],
    });
    t = await openRuntime({
      files: { 'README.md': '# demo\n' },
      preferences: preferences(backup.url),
      script: [
        { status: 429, retryAfterMs: 300 },
        { status: 500, message: 'upstream exploded' },
      ],
    });
    const events: RalexEvent[] = [];
    t.rt.bus.subscribe((e) => events.push(e));
    const result = await t.run('what does this project do');
    expect(result.status).toBe('succeeded');
    expect(result.reply).toContain('The backup answers.');
    expect(result.model).toBe('backup:backup-model');
    expect(result.modelReason).toContain('openai:scripted-model failed, so backup:backup-model answered');
    expect(result.modelHops?.map((h) => [h.model, h.action, h.next])).toEqual([
      ['openai:scripted-model', 'retry', 'openai:scripted-model'],
      ['openai:scripted-model', 'next', 'backup:backup-model'],
    ]);
    expect(result.modelHops?.[0]?.waitMs).toBe(300);
    expect(result.modelHops?.[0]?.reason).toMatch(/^429/);
    // The retry waited as the provider asked.
    const [first, second] = t.model.chatRequests();
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(280);
    expect(events.filter((e) => e.type === 'model.fallback')).toHaveLength(2);
    // Only the call that answered is charged: 400 × $0.5/M + 10 × $1/M.
    expect(result.cost).toBeCloseTo(0.00021, 9);
    const calls = t.rt.models.ledger.byCommand(result.commandId);
    expect(calls.map((c) => [c.model, c.state])).toEqual([
      ['openai:scripted-model', 'released'],
      ['openai:scripted-model', 'released'],
      ['backup:backup-model', 'settled'],
    ]);
  });

  it('cools a model down after repeated failures: the next command goes to the fallback first', async () => {
    backup = await startScriptedModelServer({
      models: ['backup-model'],
      defaultReply: { text: 'backup here' },
    });
    t = await openRuntime({
      files: { 'README.md': '# demo\n' },
      preferences: preferences(backup.url, '  retries: 1\n  cooldown_after: 2\n  cooldown_ms: 60000\n'),
      script: [{ status: 503 }, { status: 503 }],
    });
    const first = await t.run('what does this project do');
    expect(first.model).toBe('backup:backup-model');
    expect(t.model.chatRequests()).toHaveLength(2);
    const second = await t.run('what does this project do');
    expect(second.model).toBe('backup:backup-model');
    expect(second.modelHops ?? []).toEqual([]);
    // The cooling model was not even asked.
    expect(t.model.chatRequests()).toHaveLength(2);
  });

  it('ralex-auto moves to the next model; a provider:model the client names is retried but never swapped', async () => {
    backup = await startScriptedModelServer({
      models: ['backup-model'],
      defaultReply: { text: 'from the backup' },
    });
    ralex = await startRalex({
      preferences: preferences(backup.url, '  retries: 0\n'),
      script: [{ status: 500 }, { status: 500 }],
    });
    const auto = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'ralex-auto', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(auto.status).toBe(200);
    const body = await json(auto);
    expect(body.choices[0].message.content).toBe('from the backup');
    expect(body.routed_model).toBe('backup:backup-model');
    const named = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({
        model: 'openai:scripted-model',
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    expect(named.status).toBe(500);
    expect(backup.chatRequests()).toHaveLength(1);
  });
});
