import type { FastifyInstance } from 'fastify';

/** Headers a browser client may send cross-origin (auth, JSON, Ralex's and Open WebUI's own). */
const ALLOWED_HEADERS = 'authorization, content-type, x-ralex-session, x-openwebui-chat-id, x-session-id';

/**
 * CORS for the origins listed in `server.cors_origins`, closed to every other site (the default
 * list is empty). An allowed origin's preflight is answered before the token check — browsers
 * send no Authorization header with it — and its requests get `Access-Control-Allow-Origin`
 * back; the bearer token is still required on the request itself. No cookies are involved.
 */
export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins.map((o) => o.replace(/\/+$/, '')));
  if (!allowed.size) return;
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !allowed.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'retry-after');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
      reply.header('access-control-allow-headers', ALLOWED_HEADERS);
      reply.header('access-control-max-age', '600');
      return reply.status(204).send();
    }
  });
}
