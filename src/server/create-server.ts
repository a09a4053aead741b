import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { RalexError, toRalexError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { bearerToken, tokenMatches } from './auth-token.js';
import { registerCors } from './cors.js';
import type { HealthMonitorOptions } from './health/health-monitor.js';
import { apiErrorBody, HTTP_STATUS, isOpenAiPath, openAiErrorBody } from './http-errors.js';
import { registerMetrics } from './metrics.js';
import { createConversationIndex } from './openai/conversation-session.js';
import { createRateLimiter } from './rate-limiter.js';
import { type RequestLogOptions, redactUrl, requestLogger } from './request-log.js';
import { scheduleRetention } from './retention-schedule.js';
import { registerApiRoutes } from './routes/api-routes.js';
import { registerBudgetRoute } from './routes/budget-route.js';
import { registerDashboardRoute } from './routes/dashboard-route.js';
import { registerEventsSocket } from './routes/events-socket.js';
import { registerHealthRoute } from './routes/health.js';
import { registerOpenAiRoutes } from './routes/openai-routes.js';
import { registerStaticApp } from './routes/static-app.js';

/** What the server needs besides the runtime. */
export interface ServerOptions {
  token: string;
  /** Certificate and key: serve HTTPS (phones need it for the microphone). */
  https?: { cert: Buffer; key: Buffer };
  /** Directory of the built web app; a placeholder page is served when it is missing. */
  webDir?: string;
  /** Request logs (pino, one JSON line per request and response); none when absent. */
  log?: RequestLogOptions;
  /** SSE comment heartbeat interval while a command works (default 15 s; tests shorten it). */
  sseHeartbeatMs?: number;
  /** Background health probes: interval and timeouts (default every 15 s; tests shorten it). */
  health?: HealthMonitorOptions;
  /**
   * false for a private copy of the API (the loopback OpenCode calls): no background work —
   * health is probed only when asked, older events are not counted for the dashboard.
   */
  background?: boolean;
}

const PUBLIC_PATHS = /^\/(health$|health\?|$|index\.html|assets\/|favicon|manifest|icons\/|sw\.js|app\/)/;

/**
 * Builds the HTTP server: health, the OpenAI-compatible API under /v1 and /v4, Ralex's own
 * /api, the /ws event stream and the web app. Everything but GET /health and the app's static
 * files needs the bearer token.
 */
export async function createServer(rt: Runtime, options: ServerOptions): Promise<FastifyInstance> {
  const limits = rt.config.preferences.server;
  const authFailures = createRateLimiter({ limit: limits.auth_failures_per_minute, windowMs: 60_000 });
  const commandRate = createRateLimiter({ limit: limits.commands_per_minute, windowMs: 60_000 });
  /** Counts one command (REST or ralex-agent) against the per-minute limit; plain chats and client tasks pass uncounted. */
  const countCommand = () => {
    const wait = commandRate.hit('commands');
    if (wait) throw tooMany(wait, `More than ${limits.commands_per_minute} commands in a minute.`);
  };
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    bodyLimit: limits.body_limit_bytes,
    logger: options.log ? requestLogger(options.log) : false,
    forceCloseConnections: true,
    return503OnClosing: true,
  });
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  registerCors(app, limits.cors_origins);

  // Callback hooks, not async ones: every request passes them, and an async hook costs a promise and a
  // microtask turn per request (measured on the pass-through route: bench/README.md, proxy-bench).
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      checkToken(request);
      if (request.method === 'POST' && COMMAND_ROUTE.test(request.url)) countCommand();
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  const checkToken = (request: FastifyRequest) => {
    const isPublic =
      request.method === 'GET' && PUBLIC_PATHS.test(request.url) && !request.url.startsWith('/ws');
    if (isPublic) return;
    const presented =
      bearerToken(request.headers.authorization) ??
      (request.url.startsWith('/ws') ? (request.query as { token?: string }).token : undefined);
    if (tokenMatches(presented, options.token)) return;
    // Failed guesses are throttled per address; a client with the right token is never locked out.
    const wait = authFailures.hit(request.ip);
    if (wait) throw tooMany(wait, 'Too many failed token checks from this address.');
    rt.audit.append({
      kind: 'auth',
      body: {
        outcome: 'rejected',
        ip: request.ip,
        route: `${request.method} ${redactUrl(request.url).split('?')[0]}`,
      },
    });
    throw new RalexError('unauthorized', 'A valid bearer token is required.', {
      hint: 'Send "Authorization: Bearer <token>"; the token is shown when `ralex serve` starts and stored in .ralex/state/token.',
    });
  };

  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    done(null, payload);
  });

  app.setErrorHandler((thrown: FastifyError | RalexError, request, reply) => {
    const error = thrown instanceof RalexError ? thrown : fromFastifyError(thrown, request.url);
    const status = HTTP_STATUS[error.code];
    if (status >= 500 && error.code === 'internal_error') {
      if (options.log) request.log.error({ err: thrown }, 'request failed');
      else console.error('ralex: request failed:', thrown);
    }
    if (error.code === 'rate_limited' && error.details?.retryAfter)
      reply.header('retry-after', String(error.details.retryAfter));
    reply.status(status).send(isOpenAiPath(request.url) ? openAiErrorBody(error) : apiErrorBody(error));
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new RalexError('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`, {
      hint: 'See README.md ("HTTP API") for the routes Ralex serves.',
    });
    reply.status(404).send(isOpenAiPath(request.url) ? openAiErrorBody(error) : apiErrorBody(error));
  });

  const background = options.background !== false;
  const health = registerHealthRoute(app, rt, { eager: background, ...options.health });
  registerMetrics(app, rt, health);
  const openAi = {
    countCommand,
    conversations: createConversationIndex(),
    heartbeatMs: options.sseHeartbeatMs,
    chatBodyLimit: limits.chat_body_limit_bytes,
  };
  for (const prefix of ['/v1', '/v4'])
    await app.register(async (scope) => registerOpenAiRoutes(scope, rt, openAi), { prefix });
  await app.register(async (scope) => registerApiRoutes(scope, rt), { prefix: '/api' });
  await app.register(async (scope) => registerDashboardRoute(scope, rt, { backfill: background }), {
    prefix: '/api',
  });
  await app.register(async (scope) => registerBudgetRoute(scope, rt), { prefix: '/api' });
  await app.register(async (scope) => registerEventsSocket(scope, rt));
  await registerStaticApp(app, options.webDir);
  if (background) scheduleRetention(app, rt);
  // The server's background work (probes, counting older events, retention) reads the store, so
  // it never outlives it: closing the runtime closes the server first (a second close is a no-op).
  rt.onClose(() => app.close());
  return app;
}

/** Sent with every answer Fastify sends (streams set their own). */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

/** The REST route that starts commands; ralex-agent chats are counted where the model is known. */
const COMMAND_ROUTE = /^\/api\/commands(\?|$)/;

function tooMany(waitSeconds: number, message: string): RalexError {
  return new RalexError('rate_limited', `${message} Try again in ${waitSeconds} s.`, {
    details: { retryAfter: waitSeconds },
  });
}

/** Fastify's own errors (bad JSON, body too large, wrong content type) in Ralex's terms. */
function fromFastifyError(error: FastifyError, url: string): RalexError {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const key = /\/chat\/completions/.test(url) ? 'chat_body_limit_bytes' : 'body_limit_bytes';
    return new RalexError('payload_too_large', 'The request body is larger than the server accepts.', {
      hint: `Send a smaller body, or raise server.${key} in .ralex/config/preferences.yaml.`,
    });
  }
  if (error.validation || error.code?.startsWith('FST_ERR_CTP') || error.statusCode === 400) {
    return new RalexError('bad_request', `Malformed request: ${error.message}`);
  }
  if (error.statusCode === 415) return new RalexError('bad_request', error.message);
  return toRalexError(error);
}
