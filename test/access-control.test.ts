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
