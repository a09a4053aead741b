import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../events/event-bus.js';
import { openDatabase } from '../../store/database.js';
import { createEventLog } from '../../store/event-log.js';
import { generateId, systemClock } from '../../util/ids.js';
import { createApprovals } from './approvals.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function approvalsOverRealStore() {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-approvals-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'ralex.db'));
  return createApprovals({
    bus: createEventBus(createEventLog(db), systemClock),
    clock: systemClock,
    ids: generateId,
  });
}

describe('approvals are scoped to the conversation that raised them', () => {
  it('"confirm" in one session never answers another session\'s approval; the explicit id does', async () => {
    const approvals = approvalsOverRealStore();
    const signal = new AbortController().signal;
    const ask = (sessionId: string) =>
      approvals.request(
        {
          sessionId,
          commandId: `cmd_${sessionId}`,
          action: 'delete_file',
          detail: 'delete notes.md',
          reason: 'deletes a file',
        },
        { timeoutMs: 60_000, signal },
      );
    const a = ask('chat-a');
    const b = ask('chat-b');
    expect(approvals.answerLatest('chat-c', true, 'openai')).toBeNull();
    const answered = approvals.answerLatest('chat-a', true, 'openai');
    expect(answered?.sessionId).toBe('chat-a');
    expect(await a).toEqual({ outcome: 'approved', by: 'openai' });
    const [left] = approvals.pending();
    expect(left?.sessionId).toBe('chat-b');
    expect(approvals.get(left!.id)).toEqual(left);
    expect(approvals.answer(left!.id, false, 'api')).toBe(true);
    expect(await b).toEqual({ outcome: 'denied', by: 'api' });
    expect(approvals.get(left!.id)).toBeUndefined();
  });
});
