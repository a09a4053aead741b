import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { RalexEvent } from '../src/events/events.js';
import { aiderCommitRequest, aiderEditRequest } from './fixtures/client-requests/aider.js';
import {
  chatRequest,
  FOLLOW_UP_TEMPLATE,
  openWebUiHeaders,
  QUERY_TEMPLATE,
  RAG_TEMPLATE,
  renderTemplate,
  TAGS_TEMPLATE,
  TITLE_TEMPLATE,
  taskRequest,
} from './fixtures/client-requests/open-webui.js';
import { opencodeHeaders, opencodeTitleRequest } from './fixtures/client-requests/opencode.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest;
afterEach(async () => ralex?.close());

const FILES = {
  'README.md': '# demo\n',
  'src/user_auth.py': 'def login(user):\n    return user.password == "secret"\n',
  'src/app.py': 'x = 1\n',
};
const COMMAND = 'fix the failing test in user auth dot py, execute';

const commandsRun = (r: RalexUnderTest) =>
  r.rt.bus.log
    .read({})
    .filter((e): e is Extract<RalexEvent, { type: 'command.accepted' }> => e.type === 'command.accepted');
const post = (r: RalexUnderTest, body: unknown, headers: Record<string, string> = {}) =>
  r.call('/v1/chat/completions', { method: 'POST', body: JSON.stringify(body), headers });
/** Reads an SSE answer: the content, the reasoning and the raw lines. */
async function readStream(response: Response) {
  const raw = await response.text();
  let content = '';
  let reasoning = '';
  for (const line of raw.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6));
    content += chunk.choices?.[0]?.delta?.content ?? '';
    reasoning += chunk.choices?.[0]?.delta?.reasoning_content ?? '';
  }
  return { raw, content, reasoning };
}

describe('Open WebUI drives ralex-agent: its background tasks are chats, never commands', () => {
  it('one command for the user turn, and title, tags and follow-ups answered as JSON by the routed model', async () => {
    ralex = await startRalex({
      files: FILES,
      script: [
        { text: 'login compares the password in plain text.' },
        // A hostile task answer: chatter around the JSON, and a tool call a command would have run.
        {
          text: 'Sure! Here is the title: {"title": "Auth password check"} Hope that helps.',
          toolCalls: [{ name: 'delete_file', arguments: { path: 'README.md' } }],
        },
        { text: '```json\n{ "tags": ["Technology", "Security"] }\n```' },
        { text: '{ "follow_ups": ["Can you fix it?"] }' },
      ],
    });
    const headers = openWebUiHeaders('chat-1');
    const turn = [{ role: 'user' as const, content: 'explain user auth dot py' }];
    const answer = await readStream(await post(ralex, chatRequest('ralex-agent', turn), headers));
    expect(answer.content).toContain('login compares the password in plain text.');
    const history = [...turn, { role: 'assistant' as const, content: answer.content }];
    const before = await ralex.repo.git('log', '--format=%H');

    const title = await json(await post(ralex, taskRequest('ralex-agent', TITLE_TEMPLATE, history), headers));
    const tags = await json(await post(ralex, taskRequest('ralex-agent', TAGS_TEMPLATE, history), headers));
    const followUps = await json(
      await post(ralex, taskRequest('ralex-agent', FOLLOW_UP_TEMPLATE, history), headers),
    );

    expect(JSON.parse(title.choices[0].message.content)).toEqual({ title: 'Auth password check' });
    expect(JSON.parse(tags.choices[0].message.content)).toEqual({ tags: ['Technology', 'Security'] });
    expect(JSON.parse(followUps.choices[0].message.content)).toEqual({ follow_ups: ['Can you fix it?'] });
    expect(title).toMatchObject({ model: 'ralex-agent', routed_model: 'openai:scripted-model' });
    // The routed model got Open WebUI's task prompt as sent; Ralex ran no tool it asked for.
    expect(ralex.model!.chatRequests()[1]!.body!.messages![0]!.content).toMatch(
      /^### Task:\nGenerate a concise title/,
    );
    expect(await ralex.repo.read('README.md')).toBe('# demo\n');
    expect(commandsRun(ralex).map((e) => e.text)).toEqual(['explain user auth dot py']);
    expect(await ralex.repo.git('log', '--format=%H')).toBe(before);
    expect(ralex.rt.sessions.list().map((s) => s.id)).toEqual(['owui_chat-1']);
  });

  it('a title task quoting a change command runs nothing (the bug that committed "feat: ### Task: …")', async () => {
    ralex = await startRalex({ files: FILES, script: [{ text: '{"title": "Fix auth test"}' }] });
    const history = [{ role: 'user' as const, content: COMMAND }];
    const response = await post(ralex, taskRequest('ralex-agent', TITLE_TEMPLATE, history));
    expect(JSON.parse((await json(response)).choices[0].message.content)).toEqual({ title: 'Fix auth test' });
    expect(commandsRun(ralex)).toEqual([]);
    expect(await ralex.repo.git('status', '--porcelain', '--', '.', ':!.ralex')).toBe('');
  });

  it('with no model configured, answers the tasks it can without one, in valid JSON', async () => {
    ralex = await startRalex({ files: FILES, script: null });
    const history = [
      { role: 'user' as const, content: COMMAND },
      { role: 'assistant' as const, content: 'This command needs a model.' },
    ];
    const content = async (template: string) =>
      JSON.parse(
        (await json(await post(ralex, taskRequest('ralex-agent', template, history)))).choices[0].message
          .content,
      );
    expect(await content(TITLE_TEMPLATE)).toEqual({ title: 'Fix the failing test in' });
    expect(await content(TAGS_TEMPLATE)).toEqual({ tags: ['General'] });
    expect(await content(FOLLOW_UP_TEMPLATE)).toEqual({ follow_ups: [] });
    expect(await content(QUERY_TEMPLATE)).toEqual({ queries: [] });
    // Also through ralex-auto, Open WebUI's recommended task model.
    const auto = await json(await post(ralex, taskRequest('ralex-auto', TITLE_TEMPLATE, history)));
    expect(JSON.parse(auto.choices[0].message.content)).toEqual({ title: 'Fix the failing test in' });
    expect(commandsRun(ralex)).toEqual([]);
    expect(ralex.rt.sessions.list()).toEqual([]);
  });

  it('a chat that is not a command is answered, runs nothing, and says how to make it one', async () => {
    ralex = await startRalex({ files: FILES, script: [{ text: 'The sea is wide.' }] });
    const answer = await readStream(
      await post(
        ralex,
        chatRequest('ralex-agent', [{ role: 'user', content: 'write a poem about the sea' }]),
        openWebUiHeaders('c2'),
      ),
    );
    expect(answer.content).toMatch(/^The sea is wide\./);
    expect(answer.content).toContain('ran nothing on the project');
    expect(answer.content).toContain('"execute"');
    expect(commandsRun(ralex)).toEqual([]);
  });

  it("runs the user's words once when Open WebUI wraps them in its RAG template", async () => {
    ralex = await startRalex({ files: FILES, script: [{ text: 'It compares passwords.' }] });
    const words = 'explain user auth dot py';
    const wrapped = `${words}\n${renderTemplate(RAG_TEMPLATE, [], { CONTEXT: '<source id="1">auth notes</source>', QUERY: words })}`;
    const response = await post(ralex, {
      ...chatRequest('ralex-agent', [{ role: 'user', content: wrapped }]),
      stream: false,
    });
    expect((await json(response)).choices[0].message.content).toContain('It compares passwords.');
    expect(commandsRun(ralex).map((e) => e.text)).toEqual([words]);
  });

  it('does not count tasks and chats against the command limit', async () => {
    ralex = await startRalex({
      files: FILES,
      script: null,
      preferences: 'server:\n  commands_per_minute: 1\n',
    });
    const history = [{ role: 'user' as const, content: 'hi' }];
    for (let i = 0; i < 3; i++)
      expect((await post(ralex, taskRequest('ralex-agent', TITLE_TEMPLATE, history))).status).toBe(200);
    const once = await post(ralex, {
      model: 'ralex-agent',
      messages: [{ role: 'user', content: 'what changed' }],
    });
    expect(once.status).toBe(200);
    const twice = await post(ralex, {
      model: 'ralex-agent',
      messages: [{ role: 'user', content: 'what changed' }],
    });
    expect(twice.status).toBe(429);
  });
});

describe('OpenCode and Aider request shapes on ralex-agent', () => {
  it("OpenCode's title request (which quotes the prompt) is a chat; the prompt itself is the one command", async () => {
    ralex = await startRalex({ files: FILES, script: null });
    const headers = opencodeHeaders('ses_dccc13c0dffevDSb3c2RE5DaO5');
    const title = await readStream(
      await post(ralex, opencodeTitleRequest('ralex-agent', 'what changed'), headers),
    );
    expect(title.content).toBe('What changed');
    const prompt = await readStream(
      await post(
        ralex,
        { model: 'ralex-agent', stream: true, messages: [{ role: 'user', content: '"what changed"' }] },
        headers,
      ),
    );
    expect(prompt.content).toContain('Nothing changed');
    expect(commandsRun(ralex).map((e) => e.text)).toEqual(['what changed']);
    expect(ralex.rt.sessions.list().map((s) => s.id)).toEqual(['oc_ses_dccc13c0dffevDSb3c2RE5DaO5']);
  });

  it("Aider's edit prompt goes to the model as a chat: Aider gets its SEARCH/REPLACE block and applies it itself", async () => {
    const block = 'src/app.py\n```python\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n```\n';
    ralex = await startRalex({ files: FILES, script: [{ text: block }, { text: 'feat: set x to 2' }] });
    const before = await ralex.repo.git('log', '--format=%H');
    const edit = await readStream(
      await post(
        ralex,
        aiderEditRequest('ralex-agent', { 'src/app.py': 'x = 1\n' }, 'Change x to 2 in src/app.py'),
      ),
    );
    expect(edit.content).toBe(block);
    const diff =
      'diff --git a/src/app.py b/src/app.py\n--- a/src/app.py\n+++ b/src/app.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n';
    const commit = await json(await post(ralex, aiderCommitRequest('ralex-agent', diff)));
    expect(commit.choices[0].message.content).toBe('feat: set x to 2');
    // Ralex changed nothing and committed nothing: Aider owns this edit.
    expect(await ralex.repo.read('src/app.py')).toBe('x = 1\n');
    expect(await ralex.repo.git('log', '--format=%H')).toBe(before);
    expect(commandsRun(ralex)).toEqual([]);
  });

  it('with no model, Aider gets a commit message from its diff, and a clear 503 for an edit', async () => {
    ralex = await startRalex({ files: FILES, script: null });
    const diff = '--- a/src/app.py\n+++ b/src/app.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n';
    const commit = await json(await post(ralex, aiderCommitRequest('ralex-agent', diff)));
    expect(commit.choices[0].message.content).toBe('chore: update src/app.py');
    const edit = await post(ralex, { ...aiderEditRequest('ralex-agent', {}, 'Change x'), stream: false });
    expect(edit.status).toBe(503);
    expect((await json(edit)).error.code).toBe('no_model_configured');
  });
});

describe('sessions are conversations', () => {
  const askPush = async (r: RalexUnderTest, headers: Record<string, string>) => {
    const asked = await json(
      await post(r, { model: 'ralex-agent', messages: [{ role: 'user', content: 'push' }] }, headers),
    );
    return asked.choices[0].message.content as string;
  };
  const reply = (r: RalexUnderTest, question: string, words: string, headers: Record<string, string>) =>
    post(
      r,
      {
        model: 'ralex-agent',
        messages: [
          { role: 'user', content: 'push' },
          { role: 'assistant', content: question },
          { role: 'user', content: words },
        ],
      },
      headers,
    ).then(json);

  it.each([
    ['Open WebUI chat ids', (id: string) => openWebUiHeaders(id)],
    ['the history alone', (_id: string) => ({})],
  ])('two chats that both begin "push" keep their approvals apart (%s)', async (_name, headersFor) => {
    ralex = await startRalex({ files: FILES, script: null });
    const [a, b] = [headersFor('chat-a'), headersFor('chat-b')];
    const questionA = await askPush(ralex, a);
    const questionB = await askPush(ralex, b);
    expect(questionA).toContain('Waiting for your approval: git push');
    const pending = ralex.rt.approvals.pending();
    expect(pending).toHaveLength(2);
    expect(new Set(pending.map((p) => p.sessionId)).size).toBe(2);
    const [approvalA, approvalB] = pending;

    const confirmed = await reply(ralex, questionA, 'confirm', a);
    expect(confirmed.choices[0].message.content).toContain('Approved: git push');
    // Chat B's push still waits: "confirm" in chat A answered only chat A's approval.
    expect(ralex.rt.approvals.pending().map((p) => p.id)).toEqual([approvalB!.id]);
    expect(ralex.rt.approvals.get(approvalA!.id)).toBeUndefined();

    const denied = await reply(ralex, questionB, 'deny', b);
    expect(denied.choices[0].message.content).toContain('Not pushed');
    expect(ralex.rt.approvals.pending()).toEqual([]);
  });

  it('answers an approval by its explicit id from another conversation', async () => {
    ralex = await startRalex({ files: FILES, script: null });
    await askPush(ralex, openWebUiHeaders('chat-a'));
    const [approval] = ralex.rt.approvals.pending();
    const other = await json(
      await post(
        ralex,
        { model: 'ralex-agent', messages: [{ role: 'user', content: `deny ${approval!.id}` }] },
        openWebUiHeaders('elsewhere'),
      ),
    );
    expect(other.choices[0].message.content).toContain('Not pushed');
    expect(ralex.rt.approvals.pending()).toEqual([]);
  });

  it('accepts `user` as a string or as an object, as Open WebUI may send it', async () => {
    ralex = await startRalex({ files: FILES, script: null });
    for (const user of ['ada', { id: 'u-1', name: 'Ada', email: 'ada@example.com', role: 'admin' }]) {
      const response = await post(ralex, {
        model: 'ralex-agent',
        user,
        messages: [{ role: 'user', content: 'what changed' }],
      });
      expect(response.status).toBe(200);
    }
  });
});

describe('ralex-agent honours the request or refuses it clearly', () => {
  const c = (r: RalexUnderTest) => new OpenAI({ baseURL: `${r.url}/v1`, apiKey: r.token, maxRetries: 0 });

  it('refuses n > 1, client tools and json_schema with a 400 naming the field and the fix', async () => {
    ralex = await startRalex({ files: FILES, script: null });
    const base = { model: 'ralex-agent', messages: [{ role: 'user' as const, content: 'what changed' }] };
    const n = await c(ralex)
      .chat.completions.create({ ...base, n: 2 })
      .catch((e) => e);
    expect(n).toMatchObject({ status: 400 });
    expect(n.message).toContain('one answer per request');
    const tools = await c(ralex)
      .chat.completions.create({
        ...base,
        tools: [{ type: 'function', function: { name: 'bash', parameters: {} } }],
      })
      .catch((e) => e);
    expect(tools).toMatchObject({ status: 400 });
    expect(tools.message).toContain('ralex-auto');
    const schema = await c(ralex)
      .chat.completions.create({
        ...base,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
      })
      .catch((e) => e);
    expect(schema).toMatchObject({ status: 400 });
    expect(commandsRun(ralex)).toEqual([]);
  });

  it('bounds the answer by max_tokens and cuts it at a stop sequence', async () => {
    ralex = await startRalex({ files: FILES, script: null });
    await ralex.repo.write('src/app.py', 'x = 2\n');
    const bounded = await c(ralex).chat.completions.create({
      model: 'ralex-agent',
      max_tokens: 3,
      messages: [{ role: 'user', content: 'what changed' }],
    });
    expect(bounded.choices[0]!.finish_reason).toBe('length');
    expect(bounded.choices[0]!.message.content!.length).toBeLessThanOrEqual(12);
    const stopped = await c(ralex).chat.completions.create({
      model: 'ralex-agent',
      stop: ['app.py'],
      stream: true,
      messages: [{ role: 'user', content: 'what changed' }],
    });
    let text = '';
    for await (const chunk of stopped) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).not.toContain('app.py');
    expect(text.length).toBeGreaterThan(0);
  });

  it('answers the command result as one JSON object for response_format json_object', async () => {
    ralex = await startRalex({ files: FILES, script: null });
    const answer = await c(ralex).chat.completions.create({
      model: 'ralex-agent',
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'what changed' }],
    });
    const result = JSON.parse(answer.choices[0]!.message.content!);
    expect(result).toMatchObject({ status: 'succeeded', intent: 'what_changed' });
    expect(typeof result.reply).toBe('string');
  });

  it('sends SSE comment heartbeats while a command works', async () => {
    ralex = await startRalex({
      files: FILES,
      script: [{ delayMs: 150, text: 'one two three four' }],
      server: { sseHeartbeatMs: 40 },
    });
    const answer = await readStream(
      await post(ralex, {
        model: 'ralex-agent',
        stream: true,
        messages: [{ role: 'user', content: 'explain user auth dot py' }],
      }),
    );
    expect(answer.raw).toMatch(/^: keep-alive$/m);
    expect(answer.content).toContain('one two three four');
  });
});
