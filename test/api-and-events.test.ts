import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RalexEvent } from '../src/events/events.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest;
afterEach(async () => ralex?.close());

/** Collects the events a /ws connection delivers until `until` returns true. */
function listen(url: string, until: (events: RalexEvent[]) => boolean, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const events: RalexEvent[] = [];
  const done = new Promise<RalexEvent[]>((resolve, reject) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; event?: RalexEvent };
      if (message.type === 'event') events.push(message.event!);
      if (until(events)) {
        socket.close();
        resolve(events);
      }
    });
    socket.on('error', reject);
    socket.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const opened = new Promise<void>((resolve) => socket.on('open', () => resolve()));
  return { socket, events, done, opened };
}

describe('/api/commands and /api/sessions', () => {
  it('runs a direct command with no model configured and keeps it in the store', async () => {
    ralex = await startRalex({
      script: null,
      files: { 'README.md': '# demo\n', 'src/app.js': 'console.log(1)\n' },
    });
    await ralex.repo.write('src/app.js', 'console.log(2)\n');
    const response = await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'what changed', wait: true }),
    });
    expect(response.status).toBe(200);
    const result = await json(response);
    expect(result).toMatchObject({ status: 'succeeded', intent: 'what_changed', files: ['src/app.js'] });
    expect(result.diff).toContain('+console.log(2)');
    expect(result.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'parse',
      'guard',
      'context',
      'enhance',
      'route',
      'execute',
      'record',
      'respond',
    ]);
    const stored = await json(await ralex.call(`/api/commands/${result.commandId}`));
    expect(stored).toMatchObject({ status: 'succeeded', intent: 'what_changed', text: 'what changed' });
    const sessions = await json(await ralex.call('/api/sessions'));
    expect(sessions.sessions.map((s: { id: string }) => s.id)).toContain(result.sessionId);
  });

  it('says a model command needs a model before gathering any context for it', async () => {
    ralex = await startRalex({ script: null, files: { 'README.md': '# demo\n' } });
    const response = await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'explain the readme', wait: true }),
    });
    const result = await json(response);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'no_model_configured' } });
    expect(result.stages.map((s: { stage: string }) => s.stage)).toEqual(['parse', 'guard']);
  });

  it('answers 202 at once and lets the client follow the command', async () => {
    ralex = await startRalex({ script: null });
    const accepted = await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'list files' }),
    });
    expect(accepted.status).toBe(202);
    const { commandId } = await json(accepted);
    let record: { status: string } = { status: 'running' };
    for (let i = 0; i < 50 && record.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      record = await json(await ralex.call(`/api/commands/${commandId}`));
    }
    expect(record.status).toBe('succeeded');
    const { events } = await json(await ralex.call(`/api/commands/${commandId}/events`));
    expect(events[0].type).toBe('command.accepted');
    expect(events.at(-1).type).toBe('command.finished');
  });

  it('rejects bad bodies with a code and loses nothing', async () => {
    ralex = await startRalex({ script: null });
    const empty = await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: '   ' }),
    });
    expect(empty.status).toBe(400);
    expect((await json(empty)).error).toMatchObject({ code: 'bad_request' });
    const extra = await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'x', rm: true }),
    });
    expect(extra.status).toBe(400);
    const unknown = await ralex.call('/api/commands/cmd_nope');
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('not_found');
    const route = await ralex.call('/api/nowhere');
    expect(route.status).toBe(404);
    expect(ralex.rt.commands.listByStatus('running')).toEqual([]);
  });

  it('exposes Prometheus metrics (with the token) counted from the bus', async () => {
    ralex = await startRalex({ script: null });
    await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'what changed', wait: true }),
    });
    expect((await fetch(`${ralex.url}/metrics`)).status).toBe(401);
    const metrics = await (await ralex.call('/metrics')).text();
    expect(metrics).toContain('ralex_commands_total{intent="what_changed",status="succeeded"} 1');
    expect(metrics).toMatch(/ralex_stage_duration_seconds_count\{stage="parse"\} 1/);
    expect(metrics).toContain('ralex_process_resident_memory_bytes');
  });

  it('reports components on /health without a token', async () => {
    ralex = await startRalex({ script: null });
    const health = await json(await fetch(`${ralex.url}/health`));
    expect(health.components.store.state).toBe('ok');
    expect(health.components.models).toMatchObject({ state: 'degraded' });
    expect(health.components.models.detail).toContain('No model provider');
    expect(['ok', 'degraded']).toContain(health.components.sandbox.state);
  });
});

describe('/ws live events', () => {
  it("delivers a command's events live, in id order", async () => {
    ralex = await startRalex({ script: null });
    const ws = listen(`${ralex.url.replace('http', 'ws')}/ws?token=${ralex.token}`, (e) =>
      e.some((x) => x.type === 'command.finished'),
    );
    await ws.opened;
    await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'list files', wait: true }),
    });
    const events = await ws.done;
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events.map((e) => e.type)).toContain('stage.finished');
  });

  it('replays what a reconnecting client missed: nothing lost, nothing doubled', async () => {
    ralex = await startRalex({ script: null });
    const wsUrl = `${ralex.url.replace('http', 'ws')}/ws?token=${ralex.token}`;
    const first = listen(wsUrl, (e) => e.length >= 3);
    await first.opened;
    await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'list files', wait: true }),
    });
    const seen = await first.done; // cut after three events
    const lastSeen = seen.at(-1)!.id;
    await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'what changed', wait: true }),
    });
    const all = ralex.rt.bus.log.read({});
    const second = listen(`${wsUrl}&since=${lastSeen}`, (e) => e.length >= all.length - seen.length);
    const replayed = await second.done;
    expect([...seen, ...replayed].map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('refuses a socket without the token, or from another origin', async () => {
    ralex = await startRalex({ script: null });
    const wsUrl = `${ralex.url.replace('http', 'ws')}/ws`;
    await expect(listen(wsUrl, () => true).done).rejects.toThrow('HTTP 401');
    await expect(
      listen(`${wsUrl}?token=${ralex.token}`, () => true, { origin: 'https://evil.example' }).done,
    ).rejects.toThrow('HTTP 403');
  });
});
