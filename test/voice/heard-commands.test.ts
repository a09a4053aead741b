import { afterEach, describe, expect, it } from 'vitest';
import type { RalexEvent } from '../../src/events/events.js';
import { runCommand } from '../../src/pipeline/pipeline.js';
import { heardSpeech } from '../../src/voice/heard-speech.js';
import { openRuntime, type RuntimeUnderTest } from '../helpers/runtime-under-test.js';

/**
 * Never act on a guess, end to end: a transcript Ralex's recogniser produced comes back from the
 * client as a command (source "voice"/"ws"), and the pipeline asks before a harmful act the
 * recogniser was unsure of. The user's files and history are checked byte for byte.
 */
let t: RuntimeUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const SESSION = 'ses_voice';
const USER_EDIT = 'def charge(amount):\n    return amount * 100  # the user, not committed yet\n';

async function setUp() {
  t = await openRuntime({ files: { 'billing.py': 'def charge(amount):\n    return amount\n' } });
  await t.repo.write('billing.py', USER_EDIT);
  return t;
}

/** Runs `text` as heard with `confidence`, answering any question with `answer`; returns the questions asked. */
async function hear(rt: RuntimeUnderTest['rt'], text: string, confidence: number, answer: boolean | null) {
  heardSpeech(rt).remember(text, { confidence, triggerConfidence: 0, engine: 'pocketsphinx' });
  const asked: string[] = [];
  const off = rt.bus.subscribe((e: RalexEvent) => {
    if (e.type !== 'approval.requested') return;
    asked.push(e.detail);
    if (answer !== null) setTimeout(() => rt.approvals.answer(e.approvalId, answer, 'test'), 10);
  });
  try {
    // `autoApprove` (--yes) must not answer a question about what was heard.
    const result = await runCommand({ text, source: 'voice', autoApprove: true, sessionId: SESSION }, rt);
    return { result, asked };
  } finally {
    off();
  }
}

describe('heard commands', () => {
  it('asks "Did you say …?" before a commit it was unsure of; "no" commits nothing and keeps the edit', async () => {
    const { rt, repo } = await setUp();
    const head = await repo.git('rev-parse', 'HEAD');
    const { result, asked } = await hear(rt, 'commit with message charge in cents', 0.3, false);
    expect(asked).toEqual(['Did you say "commit with message charge in cents"? Say yes or no.']);
    expect(result.status).toBe('cancelled');
    expect(await repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(await repo.read('billing.py')).toBe(USER_EDIT);
    expect(await repo.git('status', '--porcelain')).toContain('billing.py');
  }, 30_000);

  it('acts after "yes", and at once when the recogniser was sure', async () => {
    const { rt, repo } = await setUp();
    const head = await repo.git('rev-parse', 'HEAD');
    const unsure = await hear(rt, 'commit with message charge in cents', 0.3, true);
    expect(unsure.asked).toHaveLength(1);
    expect(unsure.result.status).toBe('succeeded');
    expect(await repo.git('rev-parse', 'HEAD')).not.toBe(head);
    expect(await repo.read('billing.py')).toBe(USER_EDIT);

    await repo.write('billing.py', `${USER_EDIT}# more\n`);
    const sure = await hear(rt, 'commit with message more notes', 0.95, null);
    expect([sure.asked, sure.result.status]).toEqual([[], 'succeeded']);
  }, 30_000);

  it('does not take a typed command for a heard one, and one transcript vouches for one command only', async () => {
    const { rt, repo } = await setUp();
    heardSpeech(rt).remember('commit with message typed', {
      confidence: 0.1,
      triggerConfidence: 0,
      engine: 'x',
    });
    // The terminal's `ralex run` is typed, whatever the recogniser heard lately.
    const typed = await runCommand({ text: 'commit with message typed', source: 'cli' }, rt);
    expect(typed.status).toBe('succeeded');
    expect(await repo.git('log', '-1', '--format=%s')).toBe('typed');
    // Taken once: the same words sent again (typed in the web app) are not asked back.
    heardSpeech(rt).remember('status', { confidence: 0.1, triggerConfidence: 0, engine: 'x' });
    heardSpeech(rt).take('status');
    expect(heardSpeech(rt).take('status')).toBeUndefined();
  }, 30_000);

  it('hostile: a transcript heard while an approval waits cannot undo, even when the recogniser was sure', async () => {
    const { rt, repo } = await setUp();
    // An approval of another command waits (its "confirm" is the likelier word than "undo").
    const waiting = rt.approvals.request(
      { sessionId: SESSION, commandId: 'other', action: 'write_file', detail: 'x', reason: 'y' },
      { timeoutMs: 10_000, signal: new AbortController().signal },
    );
    const { result, asked } = await hear(rt, 'undo', 0.99, false);
    expect(asked.some((q) => /^An approval is waiting\. Did you say "undo"\?/.test(q))).toBe(true);
    expect(result.status).toBe('cancelled');
    expect(await repo.read('billing.py')).toBe(USER_EDIT);
    for (const a of rt.approvals.pending(SESSION)) rt.approvals.answer(a.id, false, 'test');
    await waiting;
  }, 30_000);
});
