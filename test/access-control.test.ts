import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../src/server/create-server.js';
import { loadTlsMaterial } from '../src/server/tls-certificate.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest;
afterEach(async () => ralex?.close());

describe('access control for a server reachable from a phone', () => {
  it('lets a client on another address do nothing without the token', async () => {
    ralex = await startRalex({ script: null });
    const wide = await createServer(ralex.rt, { token: ralex.token });
    await wide.listen({ host: '0.0.0.0', port: 0 });
    const port = (wide.server.address() as { port: number }).port;
    const phone = new Agent({ localAddress: '127.0.0.2' });
    try {
      for (const [method, path] of [
        ['GET', '/v1/models'],
        ['POST', '/api/commands'],
        ['GET', '/api/sessions'],
        ['POST', '/api/approvals/apr_x'],
      ] as const) {
        const res = await request(`http://127.0.0.1:${port}${path}`, {
          method,
          dispatcher: phone,
          body: method === 'POST' ? '{"text":"undo that"}' : undefined,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.statusCode, path).toBe(401);
        await res.body.text();
      }
      const ok = await request(`http://127.0.0.1:${port}/api/sessions`, {
        dispatcher: phone,
        headers: { authorization: `Bearer ${ralex.token}` },
      });
      expect(ok.statusCode).toBe(200);
      await ok.body.text();
      const audit = ralex.rt.audit.read({}).filter((e) => e.kind === 'auth');
      expect(audit.length).toBeGreaterThanOrEqual(4);
      expect(audit[0]!.body).toMatchObject({ outcome: 'rejected', ip: '127.0.0.2' });
    } finally {
      await phone.close();
      await wide.close();
    }
  });

  it('throttles repeated wrong tokens, never the right one', async () => {
    ralex = await startRalex({ script: null, preferences: 'server:\n  auth_failures_per_minute: 3\n' });
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await fetch(`${ralex.url}/api/sessions`, { headers: { authorization: 'Bearer guess' } })).status,
      );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await fetch(`${ralex.url}/api/sessions`, { headers: { authorization: 'Bearer guess' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ralex.call('/api/sessions')).status).toBe(200);
  });

  it('limits commands per minute', async () => {
    ralex = await startRalex({ script: null, preferences: 'server:\n  commands_per_minute: 2\n' });
    const submit = () =>
      ralex.call('/api/commands', { method: 'POST', body: JSON.stringify({ text: 'status', wait: true }) });
    expect((await submit()).status).toBe(200);
    expect((await submit()).status).toBe(200);
    const third = await submit();
    expect(third.status).toBe(429);
    expect((await json(third)).error.code).toBe('rate_limited');
  });

  it('sends secure headers and no CORS permission to other sites', async () => {
    ralex = await startRalex({ script: null });
    const res = await fetch(`${ralex.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${ralex.url}/api/commands`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves HTTPS with a self-signed certificate made once', async () => {
    ralex = await startRalex({ script: null });
    const stateDir = mkdtempSync(join(tmpdir(), 'ralex-tls-'));
    try {
      const tls = await loadTlsMaterial({ stateDir, hosts: ['127.0.0.1'] });
      expect(tls.source).toBe('generated');
      expect((await loadTlsMaterial({ stateDir, hosts: ['127.0.0.1'] })).source).toBe('state');
      const app = await createServer(ralex.rt, {
        token: ralex.token,
        https: { cert: tls.cert, key: tls.key },
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as { port: number }).port;
      const insecure = new Agent({ connect: { rejectUnauthorized: false } });
      const res = await request(`https://127.0.0.1:${port}/health`, { dispatcher: insecure });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { status: string }).status).toBeTruthy();
      await insecure.close();
      await app.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('HTTP conventions', () => {
  it('logs each request and response as JSON, never the token (also a wrong one, in a header or a query)', async () => {
    const lines: string[] = [];
    ralex = await startRalex({
      script: null,
      server: { log: { level: 'trace', stream: { write: (line: string) => lines.push(line) } } },
    });
    const wrong = 'rx_wrong_guess_0123456789abcdef';
    await fetch(`${ralex.url}/v1/models`, { headers: { authorization: `Bearer ${wrong}` } });
    await fetch(`${ralex.url}/ws?token=${wrong}`);
    await fetch(`${ralex.url}/ws?token=${ralex.token}&since=0`);
    const ok = await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'what changed secret-body-text', wait: true }),
    });
    expect(ok.status).toBe(200);
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(6);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries.some((e) => e.res?.statusCode === 401)).toBe(true);
    expect(entries.some((e) => e.req?.url === '/ws?token=[redacted]')).toBe(true);
    expect(log).not.toContain(ralex.token);
    expect(log).not.toContain(wrong);
    expect(log).not.toContain('secret-body-text');
    expect(log).not.toMatch(/authorization/i);
  });

  it('allows the CORS origins listed in preferences, and no other', async () => {
    ralex = await startRalex({
      script: null,
      preferences: 'server:\n  cors_origins: ["https://chat.example.com"]\n',
    });
    const preflight = await fetch(`${ralex.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://chat.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://chat.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const allowed = await ralex.call('/v1/models', { headers: { origin: 'https://chat.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://chat.example.com');
    // The token is still needed: CORS only lets the browser read the answer.
    const noToken = await fetch(`${ralex.url}/v1/models`, {
      headers: { origin: 'https://chat.example.com' },
    });
    expect(noToken.status).toBe(401);
    const other = await ralex.call('/v1/models', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherPreflight = await fetch(`${ralex.url}/v1/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('takes a chat with a phone photo inline, while /api keeps its small limit', async () => {
    ralex = await startRalex({
      script: [{ text: 'A photo of a cat.' }],
      preferences: 'server:\n  body_limit_bytes: 65536\n',
    });
    const photo = Buffer.alloc(8 * 1024 * 1024, 7).toString('base64');
    const chat = await ralex.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({
        model: 'ralex-auto',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this?' },
              { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${photo}` } },
            ],
          },
        ],
      }),
    });
    expect(chat.status).toBe(200);
    expect((await json(chat)).choices[0].message.content).toBe('A photo of a cat.');
    const api = await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'x'.repeat(70_000) }),
    });
    expect(api.status).toBe(413);
    expect((await json(api)).error.hint).toContain('body_limit_bytes');
  });
});
