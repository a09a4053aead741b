import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../wav.js';
import { createOpenAiEngine } from './openai-engine.js';

/** A scripted OpenAI-compatible transcription endpoint: records requests, answers per model name. */
let server: Server;
let baseURL: string;
const seen: { auth?: string; contentType?: string; fields: Record<string, string>; fileBytes: number }[] = [];

async function readMultipart(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const form = await new Response(Buffer.concat(chunks), {
    headers: { 'content-type': req.headers['content-type'] ?? '' },
  }).formData();
  const fields: Record<string, string> = {};
  let fileBytes = 0;
  form.forEach((value, key) => {
    if (typeof value === 'string') fields[key] = value;
    else fileBytes = value.size;
  });
  return { fields, fileBytes };
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const { fields, fileBytes } = await readMultipart(req);
    seen.push({
      auth: req.headers.authorization,
      contentType: req.headers['content-type'],
      fields,
      fileBytes,
    });
    if (req.url !== '/v1/audio/transcriptions') res.writeHead(404).end();
    else if (fields.model === 'broken')
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}');
    else if (fields.model === 'busy') res.writeHead(429).end('slow down');
    else if (fields.model === 'slow') setTimeout(() => res.end('{"text":"late"}'), 2000);
    else
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ text: ' run the tests, execute ' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const wav = encodeWav(Buffer.alloc(3200));

describe('createOpenAiEngine', () => {
  it('posts the audio as OpenAI multipart and returns the text', async () => {
    const engine = createOpenAiEngine({ baseURL, apiKey: 'sk-test', model: 'whisper-1' });
    const result = await engine.transcribe(wav, {
      mode: 'command',
      language: 'en',
      prompt: 'user auth dot py',
    });
    expect(result.text).toBe('run the tests, execute');
    const request = seen.at(-1);
    expect(request?.auth).toBe('Bearer sk-test');
    expect(request?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.fields).toMatchObject({
      model: 'whisper-1',
      language: 'en',
      prompt: 'user auth dot py',
      response_format: 'json',
    });
    expect(request?.fileBytes).toBe(wav.length);
  });

  it('maps upstream failures to stable codes', async () => {
    await expect(
      createOpenAiEngine({ baseURL, model: 'broken' }).transcribe(wav, { mode: 'command' }),
    ).rejects.toMatchObject({
      code: 'upstream_error',
      details: { status: 500 },
    });
    await expect(
      createOpenAiEngine({ baseURL, model: 'busy' }).transcribe(wav, { mode: 'command' }),
    ).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await expect(
      createOpenAiEngine({ baseURL, model: 'slow', timeoutMs: 200 }).transcribe(wav, { mode: 'command' }),
    ).rejects.toMatchObject({ code: 'upstream_timeout' });
    await expect(
      createOpenAiEngine({ baseURL: 'http://127.0.0.1:1/v1', model: 'whisper-1' }).transcribe(wav, {
        mode: 'command',
      }),
    ).rejects.toMatchObject({ code: 'upstream_error', message: /unreachable/ });
  });
});
