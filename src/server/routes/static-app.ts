import { existsSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Ralex</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Ralex is running</h1>
<p>The web app is not built in this checkout yet (<code>npx vite build --config web/vite.config.ts</code>).
Meanwhile, drive Ralex from the terminal (<code>ralex run "what changed"</code>), from any OpenAI client
(base URL <code>/v1</code>, model <code>ralex-agent</code>), or from the <code>/api</code> routes — see README.md.</p>
<p>Health: <a href="/health">/health</a></p></body></html>`;

/**
 * The app page's content security policy: its own scripts and styles only, network to this
 * origin only (fetch and the /ws socket), microphone recordings as blobs, no framing.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** How long a browser may keep each kind of file. */
export function cacheControlFor(relativePath: string): string {
  const path = relativePath.split(sep).join('/');
  // Hashed by the build: a new build has new names, so these never change.
  if (path.startsWith('assets/')) return 'public, max-age=31536000, immutable';
  if (path.startsWith('icons/')) return 'public, max-age=86400';
  // The page, the service worker and the manifest are checked on every load.
  return 'no-cache';
}

/**
 * Serves the built web app at `/` (hashed assets cached for a year, the page and `sw.js`
 * revalidated on every load so a new build shows at once; the service worker's scope is `/`),
 * or a placeholder page that says how to use Ralex without it.
 */
export async function registerStaticApp(app: FastifyInstance, webDir?: string): Promise<void> {
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      index: ['index.html'],
      cacheControl: false,
      setHeaders(res, path) {
        const rel = relative(webDir, path);
        res.setHeader('cache-control', cacheControlFor(rel));
        if (basename(path) === 'index.html') res.setHeader('content-security-policy', APP_CSP);
        if (basename(path) === 'sw.js') res.setHeader('service-worker-allowed', '/');
        if (path.endsWith('.webmanifest')) res.setHeader('content-type', 'application/manifest+json');
      },
    });
    return;
  }
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PLACEHOLDER));
}
