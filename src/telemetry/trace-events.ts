import { context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { RalexEvent } from '../events/events.js';

/** Commands traced at once, at most (a command never finished stops being tracked past this). */
const MAX_OPEN = 500;

interface OpenCommand {
  root: Span;
  stages: Map<string, Span>;
  tools: Map<string, Span>;
}

/**
 * Turns the bus's events into spans: one `ralex.command` span per command (intent, outcome,
 * source, model, tokens, cost), a child per pipeline stage (`stage.<name>`; a skipped stage is a
 * zero-length span saying why), and per tool call a child of the stage it ran in
 * (`tool.<name>`: the policy's decision and rule, ok or not). Times are the events' own. The
 * command's text, tool input and output are not sent (they hold the user's code and words).
 */
export function createEventTracer(tracer: Tracer): (event: RalexEvent) => void {
  const open = new Map<string, OpenCommand>();
  const at = (e: RalexEvent) => new Date(e.ts);
  const child = (c: OpenCommand, name: string, e: RalexEvent, attributes: Record<string, string | boolean>) =>
    tracer.startSpan(
      name,
      { startTime: at(e), attributes, kind: SpanKind.INTERNAL },
      trace.setSpan(
        context.active(),
        c.stages.get('execute') && name.startsWith('tool.') ? c.stages.get('execute')! : c.root,
      ),
    );

  return (e) => {
    const id = e.commandId;
    if (!id) return;
    if (e.type === 'command.accepted') {
      if (open.size >= MAX_OPEN) {
        const [oldest, c] = open.entries().next().value as [string, OpenCommand];
        c.root.setAttribute('ralex.trace.truncated', true).end();
        open.delete(oldest);
      }
      const root = tracer.startSpan('ralex.command', {
        startTime: at(e),
        kind: SpanKind.SERVER,
        attributes: { 'ralex.command.id': id, 'ralex.session.id': e.sessionId, 'ralex.source': e.source },
      });
      open.set(id, { root, stages: new Map(), tools: new Map() });
      return;
    }
    const c = open.get(id);
    if (!c) return;
    switch (e.type) {
      case 'stage.started':
        c.stages.set(e.stage, child(c, `stage.${e.stage}`, e, { 'ralex.stage': e.stage }));
        return;
      case 'stage.finished': {
        // Stage summaries quote the user's words and the reply: only the route's (a model id) is sent.
        const span = c.stages.get(e.stage);
        if (e.stage === 'route') span?.setAttribute('ralex.route.model', e.summary.slice(0, 200));
        span?.end(at(e));
        return;
      }
      case 'stage.skipped':
        child(c, `stage.${e.stage}`, e, {
          'ralex.stage': e.stage,
          'ralex.stage.skipped': e.reason.slice(0, 200),
        }).end(at(e));
        return;
      case 'tool.started':
        c.tools.set(
          e.callId,
          child(c, `tool.${e.tool}`, e, {
            'ralex.tool': e.tool,
            'ralex.tool.call_id': e.callId,
            'ralex.policy.decision': e.decision,
            'ralex.policy.rule': e.rule,
          }),
        );
        return;
      case 'tool.finished': {
        const span = c.tools.get(e.callId);
        c.tools.delete(e.callId);
        if (!span) return;
        span.setAttribute('ralex.tool.ok', e.ok);
        if (!e.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: 'the tool call failed' });
        span.end(at(e));
        return;
      }
      case 'model.finished':
        (c.stages.get('execute') ?? c.root).addEvent(
          'model.finished',
          {
            'gen_ai.request.model': e.model,
            'gen_ai.usage.input_tokens': e.inputTokens ?? -1,
            'gen_ai.usage.output_tokens': e.outputTokens ?? -1,
            'gen_ai.response.finish_reasons': e.finishReason,
          },
          at(e),
        );
        return;
      case 'command.failed':
        c.root.setStatus({ code: SpanStatusCode.ERROR, message: `${e.code}: ${e.message}`.slice(0, 300) });
        c.root.setAttribute('ralex.error.code', e.code);
        return;
      case 'command.finished': {
        const r = e.result;
        const attributes: Record<string, string | number> = {
          'ralex.intent': String(r.intent ?? 'unknown'),
          'ralex.status': String(r.status ?? 'unknown'),
        };
        if (typeof r.model === 'string') attributes['gen_ai.request.model'] = r.model;
        const usage = r.usage as { inputTokens?: number | null; outputTokens?: number | null } | null;
        if (typeof usage?.inputTokens === 'number')
          attributes['gen_ai.usage.input_tokens'] = usage.inputTokens;
        if (typeof usage?.outputTokens === 'number')
          attributes['gen_ai.usage.output_tokens'] = usage.outputTokens;
        if (typeof r.cost === 'number') attributes['ralex.cost_usd'] = r.cost;
        c.root.setAttributes(attributes);
        if (r.status === 'failed')
          c.root.setStatus({ code: SpanStatusCode.ERROR, message: 'the command failed' });
        const end = at(e);
        for (const span of [...c.tools.values(), ...c.stages.values()]) if (span.isRecording()) span.end(end);
        c.root.end(end);
        open.delete(id);
        return;
      }
      default:
        return;
    }
  };
}
