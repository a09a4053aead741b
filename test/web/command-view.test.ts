import { afterEach, describe, expect, it } from 'vitest';
import type { RalexEvent } from '../../src/events/events.js';
import {
  applyEvent,
  newCommandView,
  pendingApproval,
  phaseOf,
  replyOf,
} from '../../web/src/lib/command-view.js';
import { sampleProject } from '../fixtures/sample-projects.js';
import { openRuntime, type RuntimeUnderTest } from '../helpers/runtime-under-test.js';

let t: RuntimeUnderTest | undefined;
afterEach(async () => t?.close());

const fold = (events: RalexEvent[]) => {
  const view = newCommandView(events[0]!);
  for (const e of events) applyEvent(view, e);
  return view;
};

describe('a command view folded from the real events of a run', () => {
  it('has every stage with its time, the tool call with its output, the checks, the commit and the result', async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      script: [
        {
          toolCalls: [
            {
              name: 'edit_file',
              arguments: {
                path: 'src/user_auth.js',
                old_text: 'if (!stored) return true;',
                new_text: 'if (!stored) return false;',
              },
            },
          ],
        },
        { text: 'Fixed.' },
      ],
    });
    const result = await t.run('fix the failing test in user auth dot js');
    const events = t.rt.bus.log.read({ commandId: result.commandId });
    const view = fold(events);
    expect(view.status).toBe('succeeded');
    expect(phaseOf(view)).toBe('done');
    expect(view.text).toBe('fix the failing test in user auth dot js');
    expect(view.intent).toBe('fix_bug');
    expect(view.stages.map((s) => [s.stage, s.state])).toEqual(
      ['parse', 'guard', 'context', 'enhance', 'route', 'execute', 'record', 'respond'].map((s) => [
        s,
        'done',
      ]),
    );
    expect(view.stages.every((s) => typeof s.durationMs === 'number')).toBe(true);
    expect(view.model?.name).toContain('scripted-model');
    const kinds = view.steps.map((s) =>
      s.kind === 'note'
        ? s.label
        : s.kind === 'tool'
          ? s.tool
          : s.kind === 'check'
            ? `${s.name}:${s.ok}`
            : s.kind,
    );
    expect(kinds).toEqual(['Checkpoint', 'tests (before):false', 'edit_file', 'tests:true', 'Committed']);
    const tool = view.steps.find((s) => s.kind === 'tool');
    expect(tool).toMatchObject({ ok: true, output: expect.stringContaining('Edited src/user_auth.js') });
    expect(view.commit).toBe(result.commit);
    expect(view.result?.diff).toBe(result.diff);

    // The same events again (a replay after a reconnect) change nothing.
    const before = JSON.stringify(view);
    for (const e of events) applyEvent(view, e);
    expect(JSON.stringify(view)).toBe(before);
  });
});

describe('approvals and failures in a command view', () => {
  const base = { sessionId: 'ses_1', commandId: 'cmd_1', ts: '2026-01-01T00:00:00.000Z' };
  let id = 0;
  const ev = (body: Record<string, unknown>) => ({ ...base, id: ++id, ...body }) as unknown as RalexEvent;

  it('is waiting for approval until the approval is resolved, then running again', () => {
    const view = fold([
      ev({ type: 'command.accepted', text: 'remove old file', source: 'api' }),
      ev({ type: 'stage.started', stage: 'execute' }),
    ]);
    expect(phaseOf(view)).toBe('running');
    applyEvent(
      view,
      ev({
        type: 'approval.requested',
        approvalId: 'apr_1',
        action: 'delete_file',
        detail: 'delete file a.js',
        reason: 'asks by default',
        expiresAt: '2026-01-01T00:02:00.000Z',
      }),
    );
    expect(phaseOf(view)).toBe('approval');
    expect(pendingApproval(view)).toMatchObject({ approvalId: 'apr_1', detail: 'delete file a.js' });
    applyEvent(view, ev({ type: 'approval.resolved', approvalId: 'apr_1', outcome: 'denied', by: 'voice' }));
    expect(pendingApproval(view)).toBeNull();
    expect(phaseOf(view)).toBe('running');
    applyEvent(view, ev({ type: 'command.failed', code: 'denied', message: 'Denied.' }));
    applyEvent(
      view,
      ev({
        type: 'command.finished',
        result: { status: 'denied', error: { code: 'denied', message: 'Denied.' } },
      }),
    );
    expect(view.status).toBe('denied');
    expect(phaseOf(view)).toBe('error');
    expect(view.failure).toMatchObject({ code: 'denied' });
  });

  it('is thinking before it acts, and streams the model text', () => {
    const view = fold([
      ev({ type: 'command.accepted', text: 'explain login', source: 'api' }),
      ev({ type: 'stage.started', stage: 'route' }),
    ]);
    expect(phaseOf(view)).toBe('thinking');
    applyEvent(view, ev({ type: 'model.delta', text: 'Login ' }));
    applyEvent(view, ev({ type: 'model.delta', text: 'checks the hash.' }));
    expect(view.streamed).toBe('Login checks the hash.');
  });

  it('shows a change waiting behind another, and the files a rollback kept as the user left them', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences: 'checks:\n  max_attempts: 1\n',
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'README.md' } }] },
        {
          toolCalls: [
            {
              name: 'edit_file',
              arguments: {
                path: 'src/utils/format_date.js',
                old_text: "'-' + pad(date.getUTCDate())",
                new_text: "'/' + pad(date.getUTCDate())",
              },
            },
          ],
        },
        { text: 'Done.' },
        { text: 'Second.' },
      ],
    });
    const rt = t.rt;
    const asked = new Promise<string>((resolve) => {
      const stop = rt.bus.subscribe((e) => {
        if (e.type === 'approval.requested') {
          stop();
          resolve(e.approvalId);
        }
      });
    });
    const first = t.run('implement slashes in format date');
    const approvalId = await asked; // the first holds the lock while its approval waits
    const second = t.run('implement the b module');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.repo.write(
      'src/utils/format_date.js',
      `${await t.repo.read('src/utils/format_date.js')}// mine\n`,
    );
    rt.approvals.answer(approvalId, true, 'test');
    const [one, two] = await Promise.all([first, second]);
    const waiting = fold(rt.bus.log.read({ commandId: two.commandId })).steps.find(
      (s) => s.kind === 'note' && s.label === 'Waiting',
    );
    expect(waiting).toMatchObject({ text: 'another change is running: "implement slashes in format date"' });
    const rolledBack = fold(rt.bus.log.read({ commandId: one.commandId })).steps.find(
      (s) => s.kind === 'note' && s.label === 'Rolled back',
    );
    expect(rolledBack).toMatchObject({ text: expect.stringContaining('README.md') });
    // The user's edit, made before the agent wrote the same file, is what the rollback gives back.
    expect(await t.repo.read('src/utils/format_date.js')).toContain('// mine');
    expect(await t.repo.read('src/utils/format_date.js')).not.toContain("'/' + pad");
  });

  it('says a failure once: in the error box, not again as the reply', async () => {
    t = await openRuntime({
      files: { 'README.md': '# demo\n' },
      script: [{ status: 400, message: 'This model does not take that request.' }],
    });
    const result = await t.run('what does this project do');
    expect(result.status).toBe('failed');
    const view = fold(t.rt.bus.log.read({ commandId: result.commandId }));
    expect(view.failure?.message).toMatch(/does not take that request/);
    // The stored reply is the error's own words; the card shows them once, in the error box.
    expect(view.result?.reply).toContain(view.failure!.message);
    expect(replyOf(view)).toBe('');
  });

  it('keeps what the model said before it failed, and any reply of a command that did not fail', () => {
    const base = { sessionId: 'ses_1', commandId: 'cmd_2', ts: '2026-01-01T00:00:00.000Z' };
    let n = 0;
    const ev = (body: Record<string, unknown>) => ({ ...base, id: ++n, ...body }) as unknown as RalexEvent;
    const view = fold([ev({ type: 'command.accepted', text: 'explain login', source: 'api' })]);
    applyEvent(view, ev({ type: 'model.delta', text: 'Login checks ' }));
    applyEvent(view, ev({ type: 'command.failed', code: 'upstream_error', message: 'The model stopped.' }));
    applyEvent(
      view,
      ev({
        type: 'command.finished',
        result: {
          status: 'failed',
          reply: 'The model stopped.',
          error: { code: 'upstream_error', message: 'The model stopped.' },
        },
      }),
    );
    expect(replyOf(view)).toBe('Login checks ');
    const ok = fold([ev({ type: 'command.accepted', text: 'what changed', source: 'api' })]);
    applyEvent(
      ok,
      ev({ type: 'command.finished', result: { status: 'succeeded', reply: 'Nothing changed.' } }),
    );
    expect(replyOf(ok)).toBe('Nothing changed.');
  });

  it('shows a model retry and a budget alert as notes, in the order they happened', async () => {
    t = await openRuntime({
      files: { 'README.md': '# demo\n' },
      preferences:
        'models:\n  overrides:\n    "openai:scripted-model": { input: 1, output: 2 }\nrouting:\n  max_retry_wait_ms: 1000\nbudgets:\n  per_session: 0.01\n',
      script: [
        { status: 503, retryAfterMs: 50 },
        { text: 'It is a demo.', usage: { prompt_tokens: 9000, completion_tokens: 100 } },
      ],
    });
    const result = await t.run('what does this project do');
    expect(result.status).toBe('succeeded');
    const view = fold(t.rt.bus.log.read({ commandId: result.commandId }));
    const notes = view.steps.flatMap((s) => (s.kind === 'note' ? [`${s.label}: ${s.text}`] : []));
    expect(notes[0]).toMatch(/^Model: openai:scripted-model failed \(503: .*\); retrying in 0\.1 s$/);
    expect(notes[1]).toMatch(
      /^Budget: Budget 80% spent: session \$0\.0092 of \$0\.01 \(for this session\)\.$/,
    );
  });
});
