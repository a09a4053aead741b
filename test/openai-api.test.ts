import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest;
afterEach(async () => ralex?.close());

const client = (r: RalexUnderTest, prefix = '/v1') =>
  new OpenAI({ baseURL: `${r.url}${prefix}`, apiKey: r.token, maxRetries: 0, timeout: 20_000 });

describe('the OpenAI-compatible API', () => {
  it('lists ralex-agent, ralex-auto and the upstream models, under /v1 and /v4', async () => {
    ralex = await startRalex({ models: ['alpha', 'beta'] });
    for (const prefix of ['/v1', '/v4']) {
      const ids = [];
      for await (const m of client(ralex, prefix).models.list()) ids.push(m.id);
      expect(ids).toEqual(['ralex-agent', 'ralex-auto', 'openai:alpha', 'openai:beta']);
    }
  });

  it('answers GET /v1/models/{id} for its own ids and provider:model ids, 404 for others', async () => {
    ralex = await startRalex({ models: ['alpha', 'llama3:8b'] });
    const c = client(ralex);
    expect(await c.models.retrieve('ralex-agent')).toMatchObject({ id: 'ralex-agent', owned_by: 'ralex' });
    expect(await c.models.retrieve('openai:llama3:8b')).toMatchObject({
      id: 'openai:llama3:8b',
      owned_by: 'openai',
    });
    await expect(c.models.retrieve('nope')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('answers under the model the client asked for, with the routed model in a field of its own', async () => {
    ralex = await startRalex({ script: [{ text: 'hi', model: 'upstream-name' }, { text: 'hi again' }] });
    const plain = await client(ralex).chat.completions.create({
      model: 'ralex-auto',
      messages: [{ role: 'user', content: 'say hi' }],
    });
    expect(plain.model).toBe('ralex-auto');
    expect((plain as unknown as { routed_model: string }).routed_model).toBe('openai:scripted-model');
    const stream = await client(ralex).chat.completions.create({
      model: 'ralex-auto',
      stream: true,
      messages: [{ role: 'user', content: 'say hi' }],
    });
    for await (const chunk of stream) expect(chunk.model).toBe('ralex-auto');
  });

  it('streams a routed ralex-auto chat through the openai client, with usage', async () => {
    ralex = await startRalex({
      script: [{ text: 'Hello from the upstream model', usage: { prompt_tokens: 11, completion_tokens: 5 } }],
    });
    const stream = await client(ralex).chat.completions.create({
      model: 'ralex-auto',
      messages: [{ role: 'user', content: 'say hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the upstream model');
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 });
    // The upstream got its own model id, not Ralex's.
    expect(ralex.model!.chatRequests()[0]!.body!.model).toBe('scripted-model');
  });

  it('passes an upstream model through by id, non-streaming', async () => {
    ralex = await startRalex({ models: ['alpha'], script: [{ text: 'plain answer' }] });
    const completion = await client(ralex).chat.completions.create({
      model: 'openai:alpha',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
    });
    expect(completion.choices[0]!.message.content).toBe('plain answer');
    const sent = ralex.model!.chatRequests()[0]!.body!;
    expect(sent.model).toBe('alpha');
    expect((sent as { temperature?: number }).temperature).toBe(0.2);
  });

  it('runs the whole pipeline for ralex-agent: the model reads a file with a tool, then answers', async () => {
    ralex = await startRalex({
      files: { 'src/user_auth.py': 'def login(user):\n    return user.password == "secret"\n' },
      script: [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'src/user_auth.py' } }] },
        {
          text: 'login compares the password in plain text.',
          usage: { prompt_tokens: 40, completion_tokens: 9 },
        },
      ],
    });
    const completion = await client(ralex).chat.completions.create({
      model: 'ralex-agent',
      messages: [{ role: 'user', content: 'explain user auth dot py' }],
    });
    expect(completion.choices[0]!.message.content).toContain('login compares the password in plain text.');
    const requests = ralex.model!.chatRequests();
    expect(requests).toHaveLength(2);
    const offered = (requests[0]!.body!.tools ?? [])
      .map((t) => (t as { function: { name: string } }).function.name)
      .sort();
    expect(offered).toEqual(['list_directory', 'read_file', 'search_files']);
    // The tool result the model got back is the file's numbered content.
    const toolMessage = requests[1]!.body!.messages?.find((m) => m.role === 'tool');
    expect(JSON.stringify(toolMessage)).toContain('user.password');
  });

  it('streams ralex-agent progress as reasoning and the answer as content', async () => {
    ralex = await startRalex({ script: [{ text: 'The project has one README.' }] });
    const stream = await client(ralex).chat.completions.create({
      model: 'ralex-agent',
      messages: [{ role: 'user', content: 'what does this project do' }],
      stream: true,
    });
    let content = '';
    let reasoning = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      content += delta?.content ?? '';
      reasoning += delta?.reasoning_content ?? '';
    }
    expect(content.trim()).toMatch(/^The project has one README\./);
    // With no default model configured, the reply says which model was used and why.
    expect(content).toContain('No default model is configured');
    expect(reasoning).toContain('parse');
    expect(reasoning).toContain('model: openai:scripted-model');
  });

  it('answers a direct command on ralex-agent with no provider configured', async () => {
    ralex = await startRalex({ script: null });
    await ralex.repo.write('README.md', '# changed\n');
    const completion = await client(ralex).chat.completions.create({
      model: 'ralex-agent',
      messages: [{ role: 'user', content: 'what changed' }],
    });
    expect(completion.choices[0]!.message.content).toContain('README.md');
  });

  it('answers a command that cannot run with a non-2xx status, the OpenAI error shape and the result', async () => {
    ralex = await startRalex({ script: null });
    const failed = await client(ralex)
      .chat.completions.create({
        model: 'ralex-agent',
        messages: [{ role: 'user', content: 'explain the readme' }],
      })
      .catch((e: InstanceType<typeof OpenAI.APIError>) => e);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    const text = (failed as Error).message;
    for (const way of ['OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'ANTHROPIC_API_KEY', 'OLLAMA_HOST'])
      expect(text).toContain(way);
    // The command's own result stays in the body for clients that want it.
    const raw = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({
        model: 'ralex-agent',
        messages: [{ role: 'user', content: 'explain the readme' }],
      }),
    });
    const body = await json(raw);
    expect(raw.status).toBe(503);
    expect(body.error).toMatchObject({ code: 'no_model_configured', type: 'server_error' });
    expect(body.choices[0].message.ralex).toMatchObject({ status: 'failed', intent: 'explain' });
    expect(body.choices[0].message.content).toContain('OPENAI_API_KEY');
  });
});

describe('approvals inside an OpenAI conversation', () => {
  it('ends the answer with the question, and the next message "confirm" carries the command to its result', async () => {
    ralex = await startRalex({
      files: { 'README.md': '# demo\n', 'notes.md': 'old notes\n' },
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'notes.md' } }] },
        { text: 'Removed the old notes.' },
      ],
    });
    const c = client(ralex);
    const first = 'refactor: remove the old notes file';
    const asked = await c.chat.completions.create({
      model: 'ralex-agent',
      messages: [{ role: 'user', content: first }],
    });
    const question = asked.choices[0]!.message.content ?? '';
    expect(question).toContain('Waiting for your approval: delete file notes.md');
    expect(question).toContain('"confirm"');
    expect(await ralex.repo.read('notes.md')).toBe('old notes\n');

    const stream = await c.chat.completions.create({
      model: 'ralex-agent',
      stream: true,
      messages: [
        { role: 'user', content: first },
        { role: 'assistant', content: question },
        { role: 'user', content: 'confirm' },
      ],
    });
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
    expect(content).toContain('Approved: delete file notes.md');
    expect(content).toContain('Removed the old notes.');
    await expect(ralex.repo.read('notes.md')).rejects.toThrow();
    expect(await ralex.repo.git('log', '-1', '--name-status', '--format=')).toBe('D\tnotes.md');
  });

  it('"deny" stops the waiting command and leaves the file', async () => {
    ralex = await startRalex({
      files: { 'notes.md': 'keep me\n' },
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'notes.md' } }] },
        { text: 'I could not delete it.' },
      ],
    });
    const c = client(ralex);
    const first = 'refactor: delete notes dot md';
    const asked = await c.chat.completions.create({
      model: 'ralex-agent',
      messages: [{ role: 'user', content: first }],
    });
    const denied = await c.chat.completions.create({
      model: 'ralex-agent',
      messages: [
        { role: 'user', content: first },
        { role: 'assistant', content: asked.choices[0]!.message.content ?? '' },
        { role: 'user', content: 'deny' },
      ],
    });
    expect(denied.choices[0]!.message.content).toContain('Denied');
    expect(await ralex.repo.read('notes.md')).toBe('keep me\n');
  });
});

describe('bad input on /v1', () => {
  it('answers an unknown model with a 404 in the OpenAI error shape', async () => {
    ralex = await startRalex();
    await expect(
      client(ralex).chat.completions.create({
        model: 'nope:nothing',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('rejects malformed JSON, wrong field types and oversized bodies with clear 4xx errors', async () => {
    ralex = await startRalex({ preferences: 'server:\n  chat_body_limit_bytes: 4096\n' });
    const malformed = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: '{"model": "ralex-auto", ',
    });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'bad_request',
    });

    const wrongType = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'ralex-auto', messages: 'hi' }),
    });
    expect(wrongType.status).toBe(400);
    expect((await json(wrongType)).error.message).toContain('messages');

    const big = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({
        model: 'ralex-auto',
        messages: [{ role: 'user', content: 'x'.repeat(10_000) }],
      }),
    });
    expect(big.status).toBe(413);
    expect((await json(big)).error.code).toBe('payload_too_large');
  });

  it('requires the bearer token everywhere but /health', async () => {
    ralex = await startRalex();
    expect((await fetch(`${ralex.url}/v1/models`)).status).toBe(401);
    const wrong = await fetch(`${ralex.url}/v1/models`, { headers: { authorization: 'Bearer wrong' } });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error.type).toBe('authentication_error');
    expect((await fetch(`${ralex.url}/api/sessions`)).status).toBe(401);
    expect((await fetch(`${ralex.url}/health`)).status).toBe(200);
  });

  it('passes an upstream 429 through with its retry-after, and a 500 as an error', async () => {
    // No retries: the upstream's own answers reach the client (retries are tested in test/model-fallbacks.test.ts).
    ralex = await startRalex({
      preferences: 'routing:\n  retries: 0\n',
      script: [{ status: 429, retryAfter: 3 }, { status: 500 }],
    });
    const c = client(ralex);
    const limited = await c.chat.completions
      .create({ model: 'ralex-auto', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: InstanceType<typeof OpenAI.APIError>) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('3');
    await expect(
      c.chat.completions.create({ model: 'ralex-auto', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({
      status: 500,
    });
  });

  it('gives up on an upstream that stalls, within the configured timeout', async () => {
    ralex = await startRalex({
      preferences: 'engine:\n  model_timeout_ms: 1000\n',
      script: [{ stallMs: 10_000, text: 'late' }],
    });
    const started = Date.now();
    await expect(
      client(ralex).chat.completions.create({
        model: 'ralex-auto',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('tells a streaming client when the upstream drops mid-stream', async () => {
    ralex = await startRalex({ script: [{ text: 'one two three four five six', dropAfterChunks: 3 }] });
    const stream = await client(ralex).chat.completions.create({
      model: 'ralex-auto',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const consume = async () => {
      for await (const _ of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow(/upstream|reach|terminated|socket|closed/i);
  });
});
