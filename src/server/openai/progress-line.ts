import type { RalexEvent } from '../../events/events.js';

/** A one-line, human-readable account of a pipeline event for text streams; null for events not worth a line. */
export function progressLine(event: RalexEvent): string | null {
  switch (event.type) {
    case 'stage.finished':
      return `${event.stage} (${Math.round(event.durationMs)} ms): ${event.summary}`;
    case 'model.selected':
      return `model: ${event.model} — ${event.reasoning}`;
    case 'model.fallback':
      return `${event.model} failed (${event.reason}); ${event.action === 'retry' ? 'retrying' : event.next ? `trying ${event.next}` : 'no model left'}`;
    case 'budget.alert':
      return event.message;
    case 'tool.started':
      return `→ ${event.tool} ${JSON.stringify(event.input)}`;
    case 'tool.finished':
      return `${event.ok ? '✓' : '✗'} ${event.tool} (${event.durationMs} ms)`;
    case 'check.started':
      return `running ${event.name}: ${event.command}`;
    case 'check.finished':
      return `${event.name} ${event.ok ? 'passed' : 'failed'} (${Math.round(event.durationMs)} ms)`;
    case 'approval.requested':
      return `needs approval: ${event.detail} — ${event.reason} (say "confirm" or "deny")`;
    case 'approval.resolved':
      return `approval ${event.outcome.replace('_', ' ')} by ${event.by}`;
    case 'command.failed':
      return `failed: ${event.message}`;
    default:
      return null;
  }
}
