import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../runtime.js';
import { RALEX_VERSION } from '../../version.js';
import { overallState } from '../health/component-health.js';
import { degradationNotes } from '../health/degradation.js';
import {
  type HealthMonitor,
  type HealthMonitorOptions,
  startHealthMonitor,
} from '../health/health-monitor.js';

/**
 * `GET /health` (no token needed): each component — store, models (and each provider),
 * sandbox, recogniser, rules, memory sync's remote — as ok / degraded / down with since when and
 * the last error, from probes that run in the background (the request never waits on a
 * provider); `degraded` lists what still works. 503 only when the store is down, so a proxy or a
 * container healthcheck restarts Ralex only when restarting can help. Names no secrets.
 */
export function registerHealthRoute(
  app: FastifyInstance,
  rt: Runtime,
  options: HealthMonitorOptions = {},
): HealthMonitor {
  const startedAt = Date.now();
  const monitor = startHealthMonitor(rt, options);
  app.addHook('onClose', async () => monitor.stop());
  app.get('/health', async (_request, reply) => {
    const components = await monitor.components();
    const status = overallState(components);
    return reply.status(status === 'down' ? 503 : 200).send({
      status,
      version: RALEX_VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      components,
      degraded: degradationNotes(components),
    });
  });
  return monitor;
}
