import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Runtime } from '../runtime.js';
import type { HealthMonitor } from './health/health-monitor.js';
import { registerStoreMetrics } from './metrics-from-store.js';

/**
 * `GET /metrics` in the Prometheus text format. From the store (every process, survives
 * restarts): commands by intent and outcome, tokens and cost by model and path, errors by code,
 * checkpoints and state sizes. From this process: command and stage durations, tool calls by
 * the policy's decision, approvals, HTTP responses, the change queue, upstream providers as the
 * health probes see them, and the process's own figures.
 */
export function registerMetrics(app: FastifyInstance, rt: Runtime, health?: HealthMonitor): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ralex_' });
  registerStoreMetrics(registry, rt);
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
  const queued = new Set<string>();
  new Gauge({
    name: 'ralex_queue_depth',
    help: "Change commands waiting for the repository's change lock in this process.",
    registers: [registry],
    collect() {
      this.set(queued.size);
    },
  });
  new Gauge({
    name: 'ralex_commands_running',
    help: 'Commands running in this process.',
    registers: [registry],
    collect() {
      this.set(rt.running.size);
    },
  });
  registerUpstreamMetrics(registry, health);

  const unsubscribe = rt.bus.subscribe((event) => {
    if (event.type === 'command.queued' && event.commandId) queued.add(event.commandId);
    else if (event.commandId && queued.has(event.commandId) && event.type !== 'command.queued')
      queued.delete(event.commandId);
    if (event.type === 'command.finished') {
      const intent = String(event.result.intent ?? 'unknown');
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

/** Each provider as the background health probes last saw it: up or not, and how long `GET /models` took. */
function registerUpstreamMetrics(registry: Registry, health?: HealthMonitor): void {
  if (!health) return;
  const providers = () =>
    Object.entries(health.current())
      .filter(([name]) => name.startsWith('model:'))
      .map(([name, c]) => ({ provider: name.slice(6), c }));
  new Gauge({
    name: 'ralex_upstream_up',
    help: 'Whether the provider answered its last health probe (1) or not (0).',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { provider, c } of providers()) this.set({ provider }, c.state === 'ok' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ralex_upstream_probe_seconds',
    help: "How long the provider's last health probe (GET /models) took.",
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { provider, c } of providers())
        if (c.latencyMs !== undefined) this.set({ provider }, c.latencyMs / 1000);
    },
  });
  const failures = new Counter({
    name: 'ralex_upstream_probe_failures_total',
    help: 'Health probes the provider did not answer, since this process started.',
    labelNames: ['provider'],
    registers: [registry],
  });
  health.onProbe((provider, ok) => {
    if (!ok) failures.inc({ provider });
  });
}
