import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../events/events.js';
import { createOpenCodeEventMapper } from './opencode-event-mapper.js';
import { parseOpenCodeEvent } from './opencode-events.js';
import { describeOpenCodeAsk, toRalexToolCall, toVerdict } from './opencode-permission.js';
import { summarizeOpenCodeSession } from './opencode-run-result.js';

const S = 'ses_root';
const part = (p: Record<string, unknown>) => ({
  type: 'message.part.updated',
  properties: { sessionID: S, time: 1, part: { sessionID: S, messageID: 'msg_a', ...p } },
});
const tool = (status: string, extra: Record<string, unknown> = {}) =>
  part({
    id: 'prt_t',
    type: 'tool',
    tool: 'write',
    callID: 'call_1',
    state: { status, input: { filePath: '/r/a.txt', content: 'x' }, ...extra },
  });

/** Shapes recorded from opencode 1.18.33 (trimmed). */
const recorded = [
  { type: 'server.connected', properties: {} },
  { type: 'session.status', properties: { sessionID: S, status: { type: 'busy' } } },
  {
    type: 'message.updated',
    properties: { sessionID: S, info: { id: 'msg_u', sessionID: S, role: 'user' } },
  },
  part({ id: 'prt_u', messageID: 'msg_u', type: 'text', text: 'write a.txt' }),
  part({ id: 'prt_s', type: 'step-start' }),
  tool('pending', { input: {}, raw: '' }),
  tool('running', { time: { start: 100 } }),
  {
    type: 'permission.asked',
    properties: {
      id: 'per_1',
      sessionID: S,
      permission: 'edit',
      patterns: ['a.txt'],
      metadata: { filepath: '/r/a.txt', diff: '+x' },
      always: ['*'],
      tool: { messageID: 'msg_a', callID: 'call_1' },
    },
  },
  tool('completed', {
    output: 'Wrote file successfully.',
    title: 'a.txt',
    metadata: {},
    time: { start: 100, end: 130 },
  }),
  part({ id: 'prt_f1', type: 'step-finish', reason: 'tool-calls', cost: 0, tokens: { input: 5, output: 2 } }),
  part({ id: 'prt_r', type: 'reasoning', text: '' }),
  {
    type: 'message.part.delta',
    properties: { sessionID: S, messageID: 'msg_a', partID: 'prt_r', field: 'text', delta: 'hmm' },
  },
  part({ id: 'prt_x', type: 'text', text: '', time: { start: 1 } }),
  {
    type: 'message.part.delta',
    properties: { sessionID: S, messageID: 'msg_a', partID: 'prt_x', field: 'text', delta: 'Done ' },
  },
  part({ id: 'prt_x', type: 'text', text: 'Done writing.', time: { start: 1, end: 2 } }),
  part({ id: 'prt_f2', type: 'step-finish', reason: 'stop', cost: 0, tokens: { input: 5, output: 2 } }),
  { type: 'session.status', properties: { sessionID: S, status: { type: 'idle' } } },
];

describe('OpenCode event mapper', () => {
  it('maps recorded OpenCode events to Ralex events in order and stops at idle', () => {
    const out: EventBody[] = [];
    const mapper = createOpenCodeEventMapper(S, (e) => out.push(e));
    const steps = recorded.map((raw) => {
      const event = parseOpenCodeEvent(raw);
      const step = event ? mapper.handle(event) : { kind: 'skipped' };
      if (step.kind === 'permission')
        mapper.decide('call_1', { decision: 'allow', rule: 'test:rule', reason: 'ok' }, true);
      return step.kind;
    });
    expect(steps.filter((k) => k === 'permission')).toHaveLength(1);
    expect(steps.at(-1)).toBe('idle');
    expect(out.map((e) => e.type)).toEqual(['tool.started', 'tool.finished', 'model.delta', 'model.delta']);
    expect(out[0]).toMatchObject({
      callId: 'call_1',
      tool: 'write',
      decision: 'allow',
      rule: 'test:rule',
      input: { filePath: '/r/a.txt' },
    });
    expect(out[1]).toMatchObject({ ok: true, output: 'Wrote file successfully.', durationMs: 30 });
    // The user's own text and the reasoning never stream; the rest of a text part arrives once it ends.
    expect(out.slice(2).map((e) => (e.type === 'model.delta' ? e.text : ''))).toEqual(['Done ', 'writing.']);
    expect(mapper.steps).toBe(2);
    expect(mapper.toolCalls).toEqual([{ tool: 'write', ok: true, writes: true }]);
  });

  it('holds tool.started until the input is known, with the strictest decision so far', () => {
    const out: EventBody[] = [];
    const mapper = createOpenCodeEventMapper(S, (e) => out.push(e));
    for (const raw of [tool('pending', { input: {}, raw: '' })]) {
      const event = parseOpenCodeEvent(raw);
      if (event) mapper.handle(event);
    }
    // An outside-directory ask arrives while the call is still pending.
    mapper.decide('call_1', { decision: 'allow', rule: 'r:read', reason: 'reading is fine' }, true);
    mapper.decide('call_1', { decision: 'ask', rule: 'r:approved', reason: 'approved' }, true);
    expect(out).toEqual([]);
    const running = parseOpenCodeEvent(tool('running', { time: { start: 1 } }));
    if (running) mapper.handle(running);
    expect(out).toEqual([
      {
        type: 'tool.started',
        callId: 'call_1',
        tool: 'write',
        input: { filePath: '/r/a.txt', content: 'x' },
        decision: 'ask',
        rule: 'r:approved',
        reason: 'approved',
      },
    ]);
  });

  it('ignores an idle status before the session was busy, and other sessions', () => {
    const mapper = createOpenCodeEventMapper(S, () => {});
    const idle = parseOpenCodeEvent({
      type: 'session.status',
      properties: { sessionID: S, status: { type: 'idle' } },
    });
    expect(idle && mapper.handle(idle).kind).toBe('none');
    const other = parseOpenCodeEvent({
      type: 'permission.asked',
      properties: { id: 'per_2', sessionID: 'ses_other', permission: 'bash', patterns: ['ls'], metadata: {} },
    });
    expect(other && mapper.handle(other).kind).toBe('none');
  });

  it("forwards a sub-agent's permission asks and reports a refused, failed call", () => {
    const out: EventBody[] = [];
    const mapper = createOpenCodeEventMapper(S, (e) => out.push(e));
    const child = parseOpenCodeEvent({
      type: 'session.created',
      properties: { info: { id: 'ses_child', parentID: S } },
    });
    if (child) mapper.handle(child);
    const ask = parseOpenCodeEvent({
      type: 'permission.asked',
      properties: {
        id: 'per_3',
        sessionID: 'ses_child',
        permission: 'bash',
        patterns: ['rm -rf x'],
        metadata: { command: 'rm -rf x' },
        tool: { messageID: 'm', callID: 'call_9' },
      },
    });
    expect(ask && mapper.handle(ask).kind).toBe('permission');
    mapper.decide('call_9', { decision: 'deny', rule: 'default:rm', reason: 'no' }, false);
    const failed = parseOpenCodeEvent({
      type: 'message.part.updated',
      properties: {
        sessionID: 'ses_child',
        part: {
          id: 'p',
          sessionID: 'ses_child',
          messageID: 'm',
          type: 'tool',
          tool: 'bash',
          callID: 'call_9',
          state: {
            status: 'error',
            input: { command: 'rm -rf x' },
            error: 'The user rejected permission',
            time: { start: 1, end: 2 },
          },
        },
      },
    });
    if (failed) mapper.handle(failed);
    expect(out.map((e) => e.type)).toEqual(['tool.started', 'tool.finished']);
    expect(out[0]).toMatchObject({ decision: 'deny', rule: 'default:rm' });
    expect(out[1]).toMatchObject({ ok: false, output: 'The user rejected permission' });
    expect(mapper.toolCalls).toEqual([{ tool: 'bash', ok: false, writes: false }]);
  });
});

describe('OpenCode permission asks', () => {
  const request = (permission: string, metadata: Record<string, unknown>, patterns: string[]) => ({
    id: 'per_1',
    sessionID: S,
    permission,
    patterns,
    metadata,
  });

  it('turns asks into the Ralex tool calls the policy decides', () => {
    const write = describeOpenCodeAsk(request('edit', { filepath: '/r/a.txt' }, ['a.txt']), {
      tool: 'write',
      input: { filePath: '/r/a.txt', content: 'hi' },
    });
    expect(write).toMatchObject({ tool: 'edit', detail: '/r/a.txt', pattern: 'a.txt', callTool: 'write' });
    expect(toRalexToolCall(write)).toEqual({ tool: 'write_file', args: { path: '/r/a.txt', content: 'hi' } });
    const edit = describeOpenCodeAsk(request('edit', { filepath: '/r/a.txt' }, ['a.txt']), {
      tool: 'edit',
      input: { filePath: '/r/a.txt', oldString: 'a', newString: 'b' },
    });
    expect(toRalexToolCall(edit)).toEqual({
      tool: 'edit_file',
      args: { path: '/r/a.txt', old_text: 'a', new_text: 'b' },
    });
    const bash = describeOpenCodeAsk(request('bash', { command: 'npm test' }, ['npm test']), {
      tool: 'bash',
      input: { command: 'npm test', workdir: '/tmp' },
    });
    expect(bash.detail).toBe('npm test');
    expect(toRalexToolCall(bash)).toEqual({
      tool: 'run_command',
      args: { command: 'cd "/tmp" && npm test' },
    });
    const outside = describeOpenCodeAsk(request('external_directory', {}, ['/etc/*']));
    expect(toRalexToolCall(outside)).toEqual({ tool: 'read_file', args: { path: '/etc' } });
  });

  it('normalizes plain and detailed answers', () => {
    expect(toVerdict('allow')).toMatchObject({ allowed: true, decision: { decision: 'allow' } });
    expect(toVerdict('deny').message).toMatch(/did not allow/);
    const verdict = toVerdict({
      allowed: false,
      decision: { decision: 'deny', rule: 'r', reason: 'why' },
      output: { text: 'Refused: why' },
    });
    expect(verdict).toEqual({
      allowed: false,
      decision: { decision: 'deny', rule: 'r', reason: 'why' },
      message: 'Refused: why',
    });
  });
});

describe('summarizeOpenCodeSession', () => {
  it('joins the assistant text, sums tokens and keeps the last finish reason and error', () => {
    const msg = (
      id: string,
      role: string,
      extra: Record<string, unknown>,
      parts: Record<string, unknown>[],
    ) => ({
      info: { id, sessionID: S, role, ...extra },
      parts: parts.map((p, i) => ({ id: `${id}_${i}`, sessionID: S, messageID: id, ...p })),
    });
    const summary = summarizeOpenCodeSession([
      msg('u', 'user', {}, [{ type: 'text', text: 'do it' }]),
      msg('a1', 'assistant', { finish: 'tool-calls', tokens: { input: 10, output: 2 } }, [
        { type: 'text', text: 'Looking.' },
        { type: 'tool' },
      ]),
      msg('a2', 'assistant', { finish: 'stop', tokens: { input: 20, output: 5 } }, [
        { type: 'text', text: 'Done.' },
        { type: 'text', text: 'x', synthetic: true },
      ]),
    ]);
    expect(summary).toEqual({
      text: 'Looking.\nDone.',
      finishReason: 'stop',
      inputTokens: 30,
      outputTokens: 7,
      error: null,
    });
    const failed = summarizeOpenCodeSession([
      msg('a', 'assistant', { error: { name: 'APIError', data: { message: 'boom', statusCode: 500 } } }, []),
    ]);
    expect(failed).toMatchObject({ finishReason: 'error', error: { name: 'APIError' }, inputTokens: null });
  });
});
