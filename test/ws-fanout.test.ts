import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RalexEvent } from '../src/events/events.js';
import { type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest;
afterEach(async () => ralex?.close());

/** A /ws client that keeps every event frame it receives, raw and parsed, and the replay marker. */
function client(url: string) {
  const socket = new WebSocket(url);
  const events: RalexEvent[] = [];
  const raw: string[] = [];
  let replayed = false;
  const ready = new Promise<void>((resolve, reject) => {
    socket.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false); // the shared frame goes out as a text frame, as before
      const text = data.toString();
      const message = JSON.parse(text) as { type: string; event?: RalexEvent };
      if (message.type === 'event') {
        events.push(message.event!);
        raw.push(text);
      }
      if (message.type === 'replayed') {
        replayed = true;
        resolve();
      }
    });
    socket.on('error', reject);
  });
  return { socket, events, raw, ready, replayed: () => replayed };
}

/** Waits until `check` holds (the sockets deliver asynchronously), or fails after 10 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the sockets');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('/ws fan-out to many clients', () => {
  it('gives every client every event it should, once and in order, and none it should not', async () => {
    ralex = await startRalex({ script: null });
    const base = `${ralex.url.replace('http', 'ws')}/ws?token=${ralex.token}`;
    const all = Array.from({ length: 12 }, () => client(base));
    const onlyA = Array.from({ length: 6 }, () => client(`${base}&session=ses-a`));
    const onlyB = Array.from({ length: 6 }, () => client(`${base}&session=ses-b`));
    const quitter = client(base);
    await Promise.all([...all, ...onlyA, ...onlyB, quitter].map((c) => c.ready));

    const publish = (sessionId: string, text: string) =>
      ralex.rt.bus.publish({ sessionId, commandId: null }, { type: 'session.created', title: text });
    const published: RalexEvent[] = [];
    for (let i = 0; i < 40; i++) {
      // Titles with quotes, unicode and a line break: the shared bytes must be the same JSON for all.
      published.push(publish(i % 2 ? 'ses-a' : 'ses-b', `t${i} "q" é ✓\n`));
      if (i === 10) quitter.socket.terminate(); // a socket gone mid-stream breaks nobody else
    }
    // A third session nobody filters on: only the unfiltered clients see it.
    published.push(publish('ses-c', 'last'));

    const ids = (events: RalexEvent[]) => events.map((e) => e.id);
    const of = (session: string) => published.filter((e) => e.sessionId === session);
    await until(
      () =>
        all.every((c) => c.events.length >= published.length) &&
        onlyA.every((c) => c.events.length >= of('ses-a').length) &&
        onlyB.every((c) => c.events.length >= of('ses-b').length),
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // anything extra would arrive by now
    for (const c of all) {
      expect(ids(c.events)).toEqual(ids(published));
      expect(c.events).toEqual(published);
    }
    for (const c of onlyA) expect(c.events).toEqual(of('ses-a'));
    for (const c of onlyB) expect(c.events).toEqual(of('ses-b'));
    // What the log replays to a late client is exactly what the live clients got.
    const late = client(`${base}&since=0`);
    await late.ready;
    expect(ids(late.events)).toEqual(ids(ralex.rt.bus.log.read({})));
    expect(late.events.filter((e) => e.type === 'session.created')).toEqual(published);
    for (const c of [...all, ...onlyA, ...onlyB, late]) c.socket.close();
  });

  it('drops the bus subscription when the last client leaves and takes it up again', async () => {
    ralex = await startRalex({ script: null });
    const base = `${ralex.url.replace('http', 'ws')}/ws?token=${ralex.token}`;
    const first = client(base);
    await first.ready;
    first.socket.close();
    await new Promise((resolve) => first.socket.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = client(base);
    await second.ready;
    const event = ralex.rt.bus.publish(
      { sessionId: 'ses-x', commandId: null },
      { type: 'session.created', title: 'again' },
    );
    await until(() => second.events.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(second.events).toEqual([event]);
    expect(first.events).toEqual([]);
    second.socket.close();
  });
});
