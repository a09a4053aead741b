import type { EventBus } from '../events/event-bus.js';
import type { RalexEvent } from '../events/events.js';
import type { StatsStore } from './stats-store.js';

/** A command undone or cancelled this soon after the one before it counts as a correction of it. */
const CORRECTION_WINDOW_MS = 120_000;
/** Bounds the in-memory notes kept between an event and the one that completes it. */
const MAX_NOTES = 2_000;
/** The events that add to the statistics (the others, model text deltas above all, cost nothing). */
const COUNTED = new Set<RalexEvent['type']>([
  'command.accepted',
  'command.parsed',
  'stage.finished',
  'tool.started',
  'approval.requested',
  'approval.resolved',
  'checkpoint.created',
  'checkpoint.restored',
  'check.finished',
  'command.queued',
  'command.finished',
]);

/** Turns events into rollup counts; keeps the little it must remember between events. */
export interface StatsRecorder {
  record(event: RalexEvent): void;
}

/**
 * Creates the recorder: what each event adds to the statistics (commands by intent, outcome and
 * source; stage and command durations; tokens and cost by model; errors by code; tool calls by
 * the policy's decision; approvals and how long they waited; checkpoints; voice signals — asks
 * back, corrections, file names that did not resolve).
 */
export function createStatsRecorder(stats: StatsStore): StatsRecorder {
  const sources = new Map<string, string>();
  const asked = new Map<string, number>();
  const previous = stats.db.prepare(
    `SELECT finished_at AS finishedAt, source FROM commands
     WHERE session_id = ? AND id != ? AND finished_at IS NOT NULL ORDER BY created_at DESC, rowid DESC LIMIT 1`,
  );
  const sourceRow = stats.db.prepare('SELECT source FROM commands WHERE id = ?');
  /** Where a command came from: noted at command.accepted, else read from its row. */
  const sourceOf = (commandId: string | null): string => {
    if (!commandId) return 'unknown';
    const noted = sources.get(commandId);
    if (noted) return noted;
    return (sourceRow.get(commandId) as { source: string } | undefined)?.source ?? 'unknown';
  };
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= MAX_NOTES) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };

  const write = (e: RalexEvent) => {
    const at = e.ts;
    switch (e.type) {
      case 'command.accepted':
        if (e.commandId) remember(sources, e.commandId, e.source);
        return;
      case 'command.parsed': {
        const source = sourceOf(e.commandId);
        const unresolved = e.parsed.mentions.filter((m) => m.resolved === null).length;
        stats.count(at, 'unresolved_mentions', source, unresolved);
        if ((e.parsed.intent === 'undo' || e.parsed.intent === 'cancel') && e.commandId) {
          const before = previous.get(e.sessionId, e.commandId) as
            | { finishedAt: string; source: string }
            | undefined;
          if (before && Date.parse(at) - Date.parse(before.finishedAt) <= CORRECTION_WINDOW_MS)
            stats.count(at, 'corrections', before.source);
        }
        return;
      }
      case 'stage.finished':
        stats.latency(at, e.stage, e.durationMs);
        return;
      case 'tool.started':
        stats.count(at, 'tool_calls', e.decision);
        return;
      case 'approval.requested':
        remember(asked, e.approvalId, Date.parse(at));
        stats.count(at, 'approvals', 'requested');
        return;
      case 'approval.resolved': {
        stats.count(at, 'approvals', e.outcome);
        const since = asked.get(e.approvalId);
        asked.delete(e.approvalId);
        if (since !== undefined) {
          stats.count(at, 'approval_wait_ms', e.outcome, Math.max(1, Date.parse(at) - since));
          stats.count(at, 'approval_waits', e.outcome);
        }
        return;
      }
      case 'checkpoint.created':
        stats.count(at, 'checkpoints', 'created');
        return;
      case 'checkpoint.restored':
        stats.count(at, 'checkpoints', 'restored');
        return;
      case 'check.finished':
        stats.count(at, 'checks', e.ok ? 'passed' : 'failed');
        return;
      case 'command.queued':
        stats.count(at, 'queued', 'change');
        return;
      case 'command.finished':
        finished(e);
        return;
      default:
        return;
    }
  };

  const finished = (e: Extract<RalexEvent, { type: 'command.finished' }>) => {
    const r = e.result;
    const at = e.ts;
    const source = sourceOf(e.commandId);
    if (e.commandId) sources.delete(e.commandId);
    const intent = typeof r.intent === 'string' ? r.intent : 'unknown';
    const status = typeof r.status === 'string' ? r.status : 'unknown';
    const durationMs = Number(r.durationMs ?? 0);
    stats.command({ at, intent, status, source, durationMs });
    stats.latency(at, 'command', durationMs);
    const model = typeof r.model === 'string' ? r.model : null;
    const usage = (r.usage ?? null) as { inputTokens?: number | null; outputTokens?: number | null } | null;
    if (model) {
      stats.count(at, 'model_commands', model);
      stats.count(at, 'tokens_in', model, Number(usage?.inputTokens ?? 0));
      stats.count(at, 'tokens_out', model, Number(usage?.outputTokens ?? 0));
      if (typeof r.cost === 'number') stats.count(at, 'cost_usd', model, r.cost);
    }
    const error = r.error as { code?: string } | null | undefined;
    if (error?.code) stats.count(at, 'errors', error.code);
    else if (status === 'failed') stats.count(at, 'failures', intent);
    if (status === 'needs_input') stats.count(at, 'asks_back', source);
  };

  return {
    record(event) {
      if (COUNTED.has(event.type)) stats.batch(() => write(event));
    },
  };
}

/**
 * Records every event this process publishes into the statistics. Each process records its own
 * (the CLI's commands too), so nothing is counted twice.
 */
export function recordStatsFromBus(bus: EventBus, stats: StatsStore): () => void {
  const recorder = createStatsRecorder(stats);
  return bus.subscribe((event) => recorder.record(event));
}
