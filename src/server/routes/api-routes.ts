import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RalexError } from '../../errors.js';
import { runCommand } from '../../pipeline/pipeline.js';
import type { Runtime } from '../../runtime.js';
import { registerSessionHistory } from './session-history.js';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');
/** `POST /api/trust`: the files to trust, each by the SHA-256 the user was shown. */
const TrustBodySchema = z
  .object({ rulesSha256: Sha256.optional(), preferencesSha256: Sha256.optional() })
  .strict();

/** `POST /api/commands` body. */
export const SubmitCommandSchema = z.strictObject({
  text: z.string().trim().min(1, 'text is required: the command to run').max(20_000),
  sessionId: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional(),
  /** Wait for the result instead of answering 202 at once. */
  wait: z.boolean().optional(),
});

/** `POST /api/sessions` body. */
export const CreateSessionSchema = z.strictObject({ title: z.string().trim().min(1).max(200).optional() });

/** `POST /api/approvals/:id` body. */
export const AnswerApprovalSchema = z.strictObject({ approve: z.boolean() });

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new RalexError('bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return result.data;
}

/**
 * Ralex's own API (under /api): submit and follow commands, list and create sessions, answer
 * approvals, cancel, page through a long session's history (`session-history.ts`), and see whether the project's security rules are trusted. Commands run in the background; `wait: true` answers with the result.
 */
export function registerApiRoutes(app: FastifyInstance, rt: Runtime): void {
  app.post('/commands', async (request, reply) => {
    const body = parseBody(SubmitCommandSchema, request.body);
    const commandId = rt.ids('cmd');
    const sessionId = body.sessionId ?? rt.ids('ses');
    const running = runCommand({ text: body.text, sessionId, commandId, source: 'api' }, rt);
    if (body.wait) return reply.send(await running);
    running.catch((error) => console.error('ralex: command failed unexpectedly:', error));
    return reply.status(202).send({ commandId, sessionId, status: 'running' });
  });

  app.get('/commands/:id', async (request) => {
    const { id } = request.params as { id: string };
    const command = rt.commands.get(id);
    if (!command) throw new RalexError('not_found', `No command ${id}.`);
    return command;
  });

  app.get('/commands/:id/events', async (request) => {
    const { id } = request.params as { id: string };
    if (!rt.commands.get(id)) throw new RalexError('not_found', `No command ${id}.`);
    return { events: rt.bus.log.read({ commandId: id }) };
  });

  app.post('/commands/:id/cancel', async (request) => {
    const { id } = request.params as { id: string };
    const running = rt.running.get(id);
    if (!running) throw new RalexError('not_found', `Command ${id} is not running.`);
    running.controller.abort();
    return { commandId: id, cancelled: true };
  });

  app.get('/sessions', async () => ({ sessions: rt.sessions.list() }));

  app.post('/sessions', async (request, reply) => {
    const body = parseBody(CreateSessionSchema, request.body);
    const now = rt.clock().toISOString();
    const session = rt.sessions.create({ id: rt.ids('ses'), title: body.title ?? 'New session', now });
    rt.bus.publish(
      { sessionId: session.id, commandId: null },
      { type: 'session.created', title: session.title },
    );
    return reply.status(201).send(session);
  });

  app.get('/sessions/:id', async (request) => {
    const { id } = request.params as { id: string };
    const session = rt.sessions.get(id);
    if (!session) throw new RalexError('not_found', `No session ${id}.`);
    return { ...session, commands: rt.commands.listBySession(id) };
  });

  registerSessionHistory(app, rt);

  app.get('/approvals', async () => ({ approvals: rt.approvals.pending() }));

  app.post('/approvals/:id', async (request) => {
    const { id } = request.params as { id: string };
    const body = parseBody(AnswerApprovalSchema, request.body);
    if (!rt.approvals.answer(id, body.approve, 'api')) {
      throw new RalexError(
        'not_found',
        `No approval ${id} is waiting (it may have been answered or timed out).`,
      );
    }
    return { approvalId: id, outcome: body.approve ? 'approved' : 'denied' };
  });

  /** Whether the project's own security rules are trusted, and what they would loosen (ignored until `ralex trust`). */
  app.get('/trust', async () => (await import('../../trust-project-config.js')).projectTrustStatus(rt));

  /** Trusts the rules and/or preferences as the user saw them (by SHA-256); a file changed since stays untrusted. */
  app.post('/trust', async (request) => {
    const body = parseBody(TrustBodySchema, request.body);
    const { trustProjectConfig } = await import('../../trust-project-config.js');
    return trustProjectConfig(rt, body);
  });
}
