import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../events/event-bus.js';
import type { RalexEvent } from '../../events/events.js';
import { openDatabase } from '../../store/database.js';
import { createEventLog } from '../../store/event-log.js';
import { createEventFanout, eventFrame } from './event-fanout.js';

function fixture() {
  const db = openDatabase(':memory:');
  const bus = createEventBus(createEventLog(db), () => new Date('2026-12-01T00:00:00Z'));
  const publish = (sessionId: string) =>
    bus.publish({ sessionId, commandId: null }, { type: 'session.created', title: `in ${sessionId}` });
  return { bus, publish };
}

describe('createEventFanout', () => {
  it('serialises an event once and hands the same bytes to every client that wants it', () => {
    const { bus, publish } = fixture();
    const fanout = createEventFanout(bus);
    const got: { who: string; frame: Buffer; event: RalexEvent }[] = [];
    for (const who of ['x', 'y', 'z'])
      fanout.add({ deliver: (frame, event) => got.push({ who, frame, event }) });
    fanout.add({ sessionId: 'ses-b', deliver: (frame, event) => got.push({ who: 'b', frame, event }) });
    const event = publish('ses-a');
    expect(got.map((g) => g.who)).toEqual(['x', 'y', 'z']);
    expect(new Set(got.map((g) => g.frame)).size).toBe(1);
    expect(JSON.parse(got[0]!.frame.toString('utf8'))).toEqual({ type: 'event', event });
    expect(got[0]!.frame.equals(eventFrame(event))).toBe(true);
  });

  it('keeps delivering to the others when one client throws, and unsubscribes with the last', () => {
    const { bus, publish } = fixture();
    const errors: unknown[] = [];
    const fanout = createEventFanout(bus, (error) => errors.push(error));
    const seen: number[] = [];
    const removeBroken = fanout.add({
      deliver: () => {
        throw new Error('socket gone');
      },
    });
    const removeGood = fanout.add({ deliver: (_frame, event) => seen.push(event.id) });
    const first = publish('ses-a');
    expect(seen).toEqual([first.id]);
    expect(errors).toHaveLength(1);
    removeBroken();
    removeGood();
    expect(fanout.size).toBe(0);
    publish('ses-a');
    expect(seen).toEqual([first.id]);
    fanout.add({ deliver: (_frame, event) => seen.push(event.id) });
    const third = publish('ses-a');
    expect(seen).toEqual([first.id, third.id]);
  });
});
