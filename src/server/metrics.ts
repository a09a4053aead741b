import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Runtime } from '../runtime.js';

/**
 * `GET /metrics` in the Prometheus text format: commands by intent and outcome, their
 * durations, stage timings, tool calls by the policy's decision, approvals, HTTP responses, and
 * the process's own figures. Counted from the event bus, so every client's commands count.
 */
export function registerMetrics(app: FastifyInstance, rt: Runtime): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ralex_' });
  const commands = new Counter({
    name: 'ralex_commands_total',
    help: 'Commands finished, by intent and status.',
    labelNames: ['intent', 'status'],
    registers: [registry],
  });
  const commandSeconds = new Histogram({
    name: 'ralex_command_duration_seconds',
    help: 'Command duration from accepted to finished.',
    labelNames: ['intent'],
    buckets: [0.05, 0.1, 0.3, 1, 3, 10, 30, 120, 600],
    registers: [registry],
  });
  const stageSeconds = new Histogram({
    name: 'ralex_stage_duration_seconds',
    help: 'Pipeline stage duration.',
    labelNames: ['stage'],
    buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10, 60],
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: 'ralex_tool_calls_total',
    help: 'Agent tool calls, by tool and policy decision.',
    labelNames: ['tool', 'decision'],
    registers: [registry],
  });
  const approvals = new Counter({
    name: 'ralex_approvals_total',
    help: 'Approvals, by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const responses = new Counter({
    name: 'ralex_http_responses_total',
    help: 'HTTP responses, by status class.',
    labelNames: ['class'],
    registers: [registry],
  });

  const unsubscribe = rt.bus.subscribe((event) => {
    if (event.type === 'command.finished') {
      const intent = String(event.result.intent ?? 'unknown');
      commands.inc({ intent, status: String(event.result.status) });
      commandSeconds.observe({ intent }, Number(event.result.durationMs ?? 0) / 1000);
    } else if (event.type === 'stage.finished')
      stageSeconds.observe({ stage: event.stage }, event.durationMs / 1000);
    else if (event.type === 'tool.started') toolCalls.inc({ tool: event.tool, decision: event.decision });
    else if (event.type === 'approval.resolved') approvals.inc({ outcome: event.outcome });
  });
  app.addHook('onClose', async () => unsubscribe());
  app.addHook('onResponse', async (_request, reply) => {
    responses.inc({ class: `${Math.floor(reply.statusCode / 100)}xx` });
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}
