import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Ralex</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Ralex is running</h1>
<p>The web app is not built in this checkout yet. Meanwhile, drive Ralex from the terminal
(<code>ralex run "what changed"</code>), from any OpenAI client (base URL <code>/v1</code>, model
<code>ralex-agent</code>), or from the <code>/api</code> routes — see README.md.</p>
<p>Health: <a href="/health">/health</a></p></body></html>`;

/** Serves the built web app at `/`, or a placeholder page that says how to use Ralex without it. */
export async function registerStaticApp(app: FastifyInstance, webDir?: string): Promise<void> {
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', index: ['index.html'] });
    return;
  }
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PLACEHOLDER));
}
