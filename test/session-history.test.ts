import { afterEach, describe, expect, it } from 'vitest';
import type { RalexEvent } from '../src/events/events.js';
import type { SessionHistoryPage } from '../src/server/routes/session-history.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest | undefined;
afterEach(async () => {
  await ralex?.close();
  ralex = undefined;
});

const TEXTS = ['what changed', 'list files', 'status', 'show the readme', 'run the tests'];

async function run(r: RalexUnderTest, text: string, sessionId: string, wait = true) {
  const response = await r.call('/api/commands', {
    method: 'POST',
    body: JSON.stringify({ text, sessionId, wait }),
  });
  return (await json(response)) as { commandId: string };
}

async function page(r: RalexUnderTest, sessionId: string, query: string): Promise<SessionHistoryPage> {
  const response = await r.call(`/api/sessions/${sessionId}/history?${query}`);
  expect(response.status).toBe(200);
  return json(response);
}

/** The commands of a page in the order they began. */
const commandsOf = (events: RalexEvent[]) => [...new Set(events.map((e) => e.commandId))];

describe('GET /api/sessions/:id/history', () => {
  it('pages through a session newest first, each command with every event, and reaches the first one', async () => {
    ralex = await startRalex({ script: null });
    const { id: sessionId } = await json(await ralex.call('/api/sessions', { method: 'POST', body: '{}' }));
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await run(ralex, TEXTS[i % TEXTS.length]!, sessionId)).commandId);
    // Another session's commands are not in this one's pages.
    await run(ralex, 'status', 'ses_other');

    const seen: string[][] = [];
    let before: number | null | undefined;
    let lastEventId = 0;
    do {
      const p = await page(ralex, sessionId, `limit=5${before ? `&before=${before}` : ''}`);
      lastEventId ||= p.lastEventId;
      expect(p.events.map((e) => e.id)).toEqual([...p.events.map((e) => e.id)].sort((a, b) => a - b));
      for (const commandId of commandsOf(p.events)) {
        const all = (await json(await ralex.call(`/api/commands/${commandId}/events`)))
          .events as RalexEvent[];
        expect(p.events.filter((e) => e.commandId === commandId)).toEqual(all);
      }
      seen.unshift(commandsOf(p.events) as string[]);
      before = p.older;
    } while (before !== null);
    expect(seen.map((s) => s.length)).toEqual([2, 5, 5]);
    expect(seen.flat()).toEqual(ids);
    expect(lastEventId).toBe(ralex.rt.bus.log.lastId());
  }, 60_000);

  it('puts a command still running in the first page, however old, so no live approval is left out', async () => {
    ralex = await startRalex({ script: null, preferences: 'approvals:\n  timeout_ms: 20000\n' });
    const { id: sessionId } = await json(await ralex.call('/api/sessions', { method: 'POST', body: '{}' }));
    const push = await run(ralex, 'push', sessionId, false);
    await expect.poll(() => ralex!.rt.approvals.pending().length, { timeout: 10_000 }).toBe(1);
    for (const text of TEXTS) await run(ralex, text, sessionId);

    const first = await page(ralex, sessionId, 'limit=2');
    const commands = commandsOf(first.events);
    expect(commands).toHaveLength(3);
    expect(commands[0]).toBe(push.commandId);
    expect(first.events.some((e) => e.type === 'approval.requested')).toBe(true);
    ralex.rt.approvals.answer(ralex.rt.approvals.pending()[0]!.id, false, 'test');
  }, 60_000);

  it('refuses a bad page and an unknown session', async () => {
    ralex = await startRalex({ script: null });
    const { id: sessionId } = await json(await ralex.call('/api/sessions', { method: 'POST', body: '{}' }));
    for (const query of ['limit=0', 'limit=201', 'before=x', 'before=-1', 'since=3']) {
      const response = await ralex.call(`/api/sessions/${sessionId}/history?${query}`);
      expect(response.status, query).toBe(400);
      expect((await json(response)).error.code).toBe('bad_request');
    }
    expect((await ralex.call('/api/sessions/ses_missing/history')).status).toBe(404);
  });
});
