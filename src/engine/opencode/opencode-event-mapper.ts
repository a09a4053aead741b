import type { EventBody } from '../../events/events.js';
import type { ToolCallRecord } from '../to-sdk-tools.js';
import type {
  OpenCodeError,
  OpenCodeEvent,
  OpenCodePart,
  OpenCodePermissionRequest,
} from './opencode-events.js';
import type { OpenCodeDecision } from './opencode-permission.js';

/** What the run loop must do after an event. */
export type OpenCodeStep =
  | { kind: 'none' }
  | {
      kind: 'permission';
      request: OpenCodePermissionRequest;
      callTool?: string;
      input?: Record<string, unknown>;
    }
  | { kind: 'idle' }
  | { kind: 'error'; error: OpenCodeError };

/** Turns OpenCode's events for one session (and the sub-agent sessions it starts) into Ralex events. */
export interface OpenCodeEventMapper {
  handle(event: OpenCodeEvent): OpenCodeStep;
  /** Records Ralex's decision on a tool call's permission ask; the call's `tool.started` carries it. */
  decide(callId: string, decision: OpenCodeDecision, allowed: boolean): void;
  /** Whether the root session has been busy since the prompt (so an idle status means "finished"). */
  readonly started: boolean;
  /** Tools that finished, in order. */
  readonly toolCalls: ToolCallRecord[];
  /** Number of model steps (OpenCode `step-finish` parts) in the root session. */
  readonly steps: number;
}

interface ToolTrack {
  started: boolean;
  finished: boolean;
  refused: boolean;
  tool: string;
  input?: Record<string, unknown>;
  /** The strictest decision Ralex gave on this call's asks so far. */
  decision?: OpenCodeDecision;
  startedAt?: number;
}

const RANK = { allow: 0, ask: 1, deny: 2 } as const;

/** OpenCode tools that change files (bash may too). */
const WRITING_TOOLS = new Set(['write', 'edit', 'patch', 'apply_patch', 'multiedit', 'bash']);

/** The decision a call carries when OpenCode ran it without asking (its config allows it). */
const CONFIG_ALLOWED: OpenCodeDecision = {
  decision: 'allow',
  rule: 'opencode:permission-config',
  reason: "OpenCode's permission config lets this tool run without asking.",
};

const MAX_EVENT_OUTPUT = 4_000;

/** A tool call succeeded when it completed and, for commands, exited 0. */
function toolOk(part: OpenCodePart): boolean {
  if (part.state?.status !== 'completed') return false;
  const exit = part.state.metadata?.exit;
  return exit === undefined || exit === null || exit === 0;
}

/**
 * Creates the mapper for one run. Text deltas of the root session become `model.delta` (reasoning
 * stays private). A tool call becomes one `tool.started` once Ralex has decided its permission ask
 * and its input is known (or, for a call OpenCode runs without asking, when it ends) and one `tool.finished` when it
 * completes or fails. Permission asks of the run's sessions (sub-agents included) go back to the loop.
 */
export function createOpenCodeEventMapper(
  rootSessionId: string,
  emit: (body: EventBody) => void,
): OpenCodeEventMapper {
  const sessions = new Set([rootSessionId]);
  const partTypes = new Map<string, string>();
  const streamed = new Map<string, number>();
  const tools = new Map<string, ToolTrack>();
  const toolCalls: ToolCallRecord[] = [];
  let started = false;
  let steps = 0;

  const track = (callId: string, tool = 'unknown'): ToolTrack => {
    const found = tools.get(callId) ?? { started: false, finished: false, refused: false, tool };
    if (found.tool === 'unknown') found.tool = tool;
    tools.set(callId, found);
    return found;
  };
  const start = (callId: string, t: ToolTrack, decision: OpenCodeDecision) => {
    if (t.started) return;
    t.started = true;
    emit({ type: 'tool.started', callId, tool: t.tool, input: t.input ?? {}, ...decision });
  };

  const onTool = (part: OpenCodePart) => {
    const state = part.state;
    const callId = part.callID ?? part.id;
    const t = track(callId, part.tool);
    if (!state || state.status === 'pending') return;
    t.input = state.input ?? t.input ?? {};
    t.startedAt ??= state.time?.start;
    if (t.decision) start(callId, t, t.decision);
    if ((state.status === 'completed' || state.status === 'error') && !t.finished) {
      start(callId, t, t.decision ?? CONFIG_ALLOWED);
      t.finished = true;
      const ok = toolOk(part);
      toolCalls.push({ tool: t.tool, ok, writes: WRITING_TOOLS.has(t.tool) && !t.refused });
      const end = state.time?.end;
      emit({
        type: 'tool.finished',
        callId,
        tool: t.tool,
        ok,
        output: (state.status === 'completed' ? (state.output ?? '') : (state.error ?? 'failed')).slice(
          0,
          MAX_EVENT_OUTPUT,
        ),
        durationMs: t.startedAt !== undefined && end !== undefined ? Math.max(0, end - t.startedAt) : 0,
      });
    }
  };

  const onText = (part: OpenCodePart) => {
    // Text that arrived without (all of its) deltas is streamed once the part is complete.
    const sent = streamed.get(part.id) ?? 0;
    if (part.time?.end !== undefined && part.text && part.text.length > sent && !part.synthetic) {
      streamed.set(part.id, part.text.length);
      emit({ type: 'model.delta', text: part.text.slice(sent) });
    }
  };

  const handle = (event: OpenCodeEvent): OpenCodeStep => {
    switch (event.type) {
      case 'session.created':
      case 'session.updated': {
        const { id, parentID } = event.properties.info;
        if (parentID && sessions.has(parentID)) sessions.add(id);
        return { kind: 'none' };
      }
      case 'message.part.updated': {
        const part = event.properties.part;
        if (!sessions.has(part.sessionID)) return { kind: 'none' };
        partTypes.set(part.id, part.type);
        if (part.type === 'tool') onTool(part);
        else if (part.type === 'text' && part.sessionID === rootSessionId) onText(part);
        else if (part.type === 'step-finish' && part.sessionID === rootSessionId) steps++;
        return { kind: 'none' };
      }
      case 'message.part.delta': {
        const { sessionID, partID, field, delta } = event.properties;
        if (sessionID !== rootSessionId || field !== 'text' || partTypes.get(partID) !== 'text')
          return { kind: 'none' };
        streamed.set(partID, (streamed.get(partID) ?? 0) + delta.length);
        emit({ type: 'model.delta', text: delta });
        return { kind: 'none' };
      }
      case 'permission.asked': {
        const request = event.properties;
        if (!sessions.has(request.sessionID)) return { kind: 'none' };
        const call = request.tool ? tools.get(request.tool.callID) : undefined;
        return { kind: 'permission', request, callTool: call?.tool, input: call?.input };
      }
      case 'session.status': {
        if (event.properties.sessionID !== rootSessionId) return { kind: 'none' };
        if (event.properties.status.type !== 'idle') {
          started = true;
          return { kind: 'none' };
        }
        return started ? { kind: 'idle' } : { kind: 'none' };
      }
      case 'session.idle':
        return event.properties.sessionID === rootSessionId && started ? { kind: 'idle' } : { kind: 'none' };
      case 'session.error':
        return event.properties.sessionID === rootSessionId && event.properties.error
          ? { kind: 'error', error: event.properties.error }
          : { kind: 'none' };
      default:
        return { kind: 'none' };
    }
  };

  const decide = (callId: string, decision: OpenCodeDecision, allowed: boolean) => {
    const t = track(callId);
    if (!allowed) t.refused = true;
    if (!t.decision || RANK[decision.decision] > RANK[t.decision.decision]) t.decision = decision;
    // An ask can come before OpenCode has parsed the call's input (outside-directory checks do):
    // then `tool.started` waits for the input.
    if (t.input) start(callId, t, t.decision);
  };

  return {
    handle,
    decide,
    get started() {
      return started;
    },
    toolCalls,
    get steps() {
      return steps;
    },
  };
}
