import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RalexError } from '../../errors.js';
import { budgetStatus } from '../../models/budget-status.js';
import type { Runtime } from '../../runtime.js';

const BudgetQuerySchema = z.strictObject({
  session: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'a session id')
    .optional(),
  recent: z.coerce.number().int().min(0).max(200).optional(),
});

/** `GET /api/budget[?session=<id>&recent=<n>]`: spend, limits and what remains per window, and the latest calls. */
export function registerBudgetRoute(app: FastifyInstance, rt: Runtime): void {
  app.get('/budget', async (request) => {
    const query = BudgetQuerySchema.safeParse(request.query ?? {});
    if (!query.success) {
      const issue = query.error.issues[0]!;
      throw new RalexError('bad_request', `${issue.path.join('.') || 'query'}: ${issue.message}`);
    }
    return budgetStatus(
      { ledger: rt.models.ledger, meter: rt.models.meter, budgets: rt.config.preferences.budgets },
      { sessionId: query.data.session ?? null, recent: query.data.recent },
    );
  });
}
