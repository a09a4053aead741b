import type { CommandResult, RalexEvent } from './event-types.js';

/** One pipeline stage as the timeline shows it. */
export interface StageView {
  stage: string;
  state: 'running' | 'done' | 'skipped';
  durationMs: number | null;
  note: string;
}

/** A tool call, with its output once it finished. */
export interface ToolStep {
  kind: 'tool';
  key: string;
  tool: string;
  input: unknown;
  decision: string;
  reason: string;
  ok: boolean | null;
  output: string;
  durationMs: number | null;
}

/** A check (tests, lint) and its result. */
export interface CheckStep {
  kind: 'check';
  key: string;
  name: string;
  command: string;
  ok: boolean | null;
  exitCode: number | null;
  durationMs: number | null;
  output: string;
}

/** An approval asked of the user, and how it ended. */
export interface ApprovalStep {
  kind: 'approval';
  key: string;
  approvalId: string;
  commandId: string;
  action: string;
  detail: string;
  reason: string;
  expiresAt: string;
  outcome: 'approved' | 'denied' | 'timed_out' | null;
  by: string | null;
}

/** A one-line milestone: checkpoint, commit, rollback, undo, redo. */
export interface NoteStep {
  kind: 'note';
  key: string;
  tone: 'info' | 'good' | 'warn';
  label: string;
  text: string;
}

/** One entry in a command's activity list, in the order it happened. */
export type Step = ToolStep | CheckStep | ApprovalStep | NoteStep;

/** Everything the app knows about one command, folded from its events. */
export interface CommandView {
  commandId: string;
  sessionId: string;
  text: string;
  source: string;
  startedAt: string;
  status: 'running' | CommandResult['status'];
  intent: string | null;
  trigger: string | null;
  guard: { decision: string; reason: string } | null;
  model: { name: string; reasoning: string; estimatedCost: number | null; fallbacks: string[] } | null;
  /** What the context stage packed for the model: tokens used of the budget, and from how many sources. */
  context: { tokens: number; budget: number; sources: number } | null;
  tokens: { input: number | null; output: number | null } | null;
  stages: StageView[];
  steps: Step[];
  streamed: string;
  result: CommandResult | null;
  failure: { code: string; message: string; hint?: string } | null;
  commit: string | null;
  lastEventId: number;
}

/** A fresh view for a command first seen in `event`. */
export function newCommandView(event: RalexEvent): CommandView {
  return {
    commandId: event.commandId ?? '',
    sessionId: event.sessionId,
    text: event.type === 'command.accepted' ? event.text : '',
    source: event.type === 'command.accepted' ? event.source : 'api',
    startedAt: event.ts,
    status: 'running',
    intent: null,
    trigger: null,
    guard: null,
    model: null,
    context: null,
    tokens: null,
    stages: [],
    steps: [],
    streamed: '',
    result: null,
    failure: null,
    commit: null,
    lastEventId: 0,
  };
}

const stageOf = (view: CommandView, stage: string): StageView => {
  let found = view.stages.find((s) => s.stage === stage);
  if (!found) {
    found = { stage, state: 'running', durationMs: null, note: '' };
    view.stages.push(found);
  }
  return found;
};

const note = (view: CommandView, id: number, tone: NoteStep['tone'], label: string, text: string) =>
  view.steps.push({ kind: 'note', key: `n${id}`, tone, label, text });

const files = (list: string[]) => (list.length ? list.join(', ') : 'no files');

/** Folds one event into its command's view (mutates `view`); events already applied are ignored. */
export function applyEvent(view: CommandView, event: RalexEvent): void {
  if (event.id <= view.lastEventId) return;
  view.lastEventId = event.id;
  switch (event.type) {
    case 'command.accepted':
      view.text = event.text;
      view.source = event.source;
      view.startedAt = event.ts;
      return;
    case 'stage.started':
      stageOf(view, event.stage).state = 'running';
      return;
    case 'stage.finished': {
      const s = stageOf(view, event.stage);
      Object.assign(s, { state: 'done', durationMs: event.durationMs, note: event.summary });
      return;
    }
    case 'stage.skipped':
      Object.assign(stageOf(view, event.stage), { state: 'skipped', note: event.reason });
      return;
    case 'command.parsed':
      view.intent = event.parsed.intent;
      view.trigger = event.parsed.trigger;
      return;
    case 'guard.decided':
      view.guard = { decision: event.decision, reason: event.reason };
      return;
    case 'context.packed':
      view.context = { tokens: event.tokens, budget: event.budget, sources: event.sources.length };
      return;
    case 'model.selected':
      view.model = {
        name: event.model,
        reasoning: event.reasoning,
        estimatedCost: event.estimatedCost,
        fallbacks: event.fallbacks,
      };
      return;
    case 'model.delta':
      view.streamed += event.text;
      return;
    case 'model.finished':
      view.tokens = { input: event.inputTokens, output: event.outputTokens };
      return;
    case 'tool.started':
      view.steps.push({
        kind: 'tool',
        key: `t${event.callId}`,
        tool: event.tool,
        input: event.input,
        decision: event.decision,
        reason: event.reason,
        ok: null,
        output: '',
        durationMs: null,
      });
      return;
    case 'tool.finished': {
      const step = view.steps.find((s): s is ToolStep => s.kind === 'tool' && s.key === `t${event.callId}`);
      if (step) Object.assign(step, { ok: event.ok, output: event.output, durationMs: event.durationMs });
      return;
    }
    case 'approval.requested':
      view.steps.push({
        kind: 'approval',
        key: `a${event.approvalId}`,
        approvalId: event.approvalId,
        commandId: view.commandId,
        action: event.action,
        detail: event.detail,
        reason: event.reason,
        expiresAt: event.expiresAt,
        outcome: null,
        by: null,
      });
      return;
    case 'approval.resolved': {
      const step = view.steps.find(
        (s): s is ApprovalStep => s.kind === 'approval' && s.approvalId === event.approvalId,
      );
      if (step) Object.assign(step, { outcome: event.outcome, by: event.by });
      return;
    }
    case 'check.started':
      view.steps.push({
        kind: 'check',
        key: `c${event.id}`,
        name: event.name,
        command: event.command,
        ok: null,
        exitCode: null,
        durationMs: null,
        output: '',
      });
      return;
    case 'check.finished': {
      const step = view.steps.findLast(
        (s): s is CheckStep => s.kind === 'check' && s.name === event.name && s.ok === null,
      );
      const done = {
        ok: event.ok,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
        output: event.output,
      };
      if (step) Object.assign(step, done);
      else view.steps.push({ kind: 'check', key: `c${event.id}`, name: event.name, command: '', ...done });
      return;
    }
    case 'checkpoint.created':
      note(view, event.id, 'info', 'Checkpoint', `${event.label} (${event.files} files)`);
      return;
    case 'command.queued':
      note(view, event.id, 'info', 'Waiting', `another change is running: "${event.behindText}"`);
      return;
    case 'model.fallback':
      note(
        view,
        event.id,
        'warn',
        'Model',
        `${event.model} failed (${event.reason}); ${event.action === 'retry' ? `retrying in ${Math.round(event.waitMs / 100) / 10} s` : event.next ? `trying ${event.next}` : 'no model left'}`,
      );
      return;
    case 'budget.alert':
      note(view, event.id, 'warn', 'Budget', event.message);
      return;
    case 'checkpoint.restored': {
      const kept = event.kept?.length
        ? `; kept as you left ${event.kept.length === 1 ? 'it' : 'them'}: ${event.kept.map((k) => `${k.path} (${k.reason})`).join(', ')}`
        : '';
      note(view, event.id, 'warn', 'Rolled back', `${event.reason} — ${files(event.files)}${kept}`);
      return;
    }
    case 'change.committed': {
      view.commit = event.sha;
      const yours = event.userFiles?.length ? ` (not your ${files(event.userFiles)})` : '';
      note(
        view,
        event.id,
        'good',
        'Committed',
        `${event.sha.slice(0, 8)} ${event.message.split('\n')[0]}${yours}`,
      );
      return;
    }
    case 'change.kept':
      note(view, event.id, 'info', 'Kept uncommitted', `${files(event.files)} — ${event.reason}`);
      return;
    case 'change.undone':
      note(view, event.id, 'warn', 'Undone', files(event.files));
      return;
    case 'change.redone':
      note(view, event.id, 'good', 'Redone', files(event.files));
      return;
    case 'command.finished': {
      const result = event.result as unknown as CommandResult;
      view.result = result;
      view.status = result.status ?? 'succeeded';
      view.commit = result.commit ?? view.commit;
      if (result.error) view.failure = result.error;
      return;
    }
    case 'command.failed':
      view.failure = { code: event.code, message: event.message, hint: event.hint };
      if (view.status === 'running') view.status = event.code === 'cancelled' ? 'cancelled' : 'failed';
      return;
    default:
      return;
  }
}

/**
 * The reply to show on the card: the result's, or the text streamed so far. A failed command's
 * reply is its error's own words (message, then hint), and the card shows the error apart: then
 * only what the model streamed before it failed is shown, so nothing is said twice.
 */
export function replyOf(view: CommandView): string {
  const reply = view.result?.reply ?? view.streamed;
  const failure = view.failure;
  if (!failure || view.status === 'succeeded') return reply;
  const errorWords = failure.hint ? `${failure.message}\n\n${failure.hint}` : failure.message;
  return reply === errorWords || reply === failure.message ? view.streamed : reply;
}

/** The approval of this command still waiting for an answer, if any. */
export function pendingApproval(view: CommandView): ApprovalStep | null {
  return view.steps.find((s): s is ApprovalStep => s.kind === 'approval' && s.outcome === null) ?? null;
}

/** The phase a command is in, for the status line. */
export type CommandPhase = 'thinking' | 'running' | 'approval' | 'done' | 'error';

/** Where a command is: thinking (before it acts), running, waiting for approval, done or error. */
export function phaseOf(view: CommandView): CommandPhase {
  if (view.status === 'succeeded') return 'done';
  if (view.status !== 'running') return 'error';
  if (pendingApproval(view)) return 'approval';
  const executing = view.stages.some((s) => s.stage === 'execute' && s.state === 'running');
  return executing || view.steps.length ? 'running' : 'thinking';
}
