import type { EventBus } from '../../events/event-bus.js';
import type { Clock, IdGenerator } from '../../util/ids.js';

/** What an approval asks: the exact action and why the policy asks. */
export interface ApprovalRequest {
  sessionId: string;
  commandId: string;
  /** The kind of action, e.g. `run_command`, `read_file`, `push`. */
  action: string;
  /** Exactly what will run or be touched. */
  detail: string;
  reason: string;
}

/** How an approval ended, and who ended it ("web", "voice", "cli", "timeout"). */
export interface ApprovalAnswer {
  outcome: 'approved' | 'denied' | 'timed_out';
  by: string;
}

/** An approval waiting for an answer. */
export interface PendingApproval extends ApprovalRequest {
  id: string;
  expiresAt: string;
}

/**
 * Approvals that never hang: every `ask` becomes a pending approval, announced on the bus to
 * every client of the session, answered by REST, WebSocket, voice words or the terminal — or
 * denied when its time runs out or the command is cancelled.
 *
 * Conversation-scoped: the words "confirm" / "deny" (`answerLatest`) reach only the approvals of
 * the session that says them — an OpenAI chat, the web app's session — never another
 * conversation's; any other client answers one approval by its explicit id (`answer`).
 */
export interface Approvals {
  request(
    request: ApprovalRequest,
    options: { timeoutMs: number; signal: AbortSignal },
  ): Promise<ApprovalAnswer>;
  /** Answers one approval; false when it is unknown or already answered. */
  answer(id: string, approve: boolean, by: string): boolean;
  /** Answers the newest pending approval of a session ("confirm", "deny"); null when none waits there. */
  answerLatest(sessionId: string, approve: boolean, by: string): PendingApproval | null;
  /** One waiting approval by its id, whatever its session. */
  get(id: string): PendingApproval | undefined;
  /** The waiting approvals, oldest first: all of them, or one session's. */
  pending(sessionId?: string): PendingApproval[];
}

/** Creates the approvals registry over the bus. */
export function createApprovals(deps: { bus: EventBus; clock: Clock; ids: IdGenerator }): Approvals {
  const waiting = new Map<string, { approval: PendingApproval; settle: (answer: ApprovalAnswer) => void }>();

  const approvals: Approvals = {
    request(request, { timeoutMs, signal }) {
      const id = deps.ids('apr');
      const expiresAt = new Date(deps.clock().getTime() + timeoutMs).toISOString();
      const approval: PendingApproval = { ...request, id, expiresAt };
      return new Promise<ApprovalAnswer>((resolve) => {
        const timer = setTimeout(() => settle({ outcome: 'timed_out', by: 'timeout' }), timeoutMs);
        const onAbort = () => settle({ outcome: 'denied', by: 'cancel' });
        const settle = (answer: ApprovalAnswer) => {
          if (!waiting.delete(id)) return;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          deps.bus.publish(
            { sessionId: request.sessionId, commandId: request.commandId },
            { type: 'approval.resolved', approvalId: id, outcome: answer.outcome, by: answer.by },
          );
          resolve(answer);
        };
        waiting.set(id, { approval, settle });
        deps.bus.publish(
          { sessionId: request.sessionId, commandId: request.commandId },
          {
            type: 'approval.requested',
            approvalId: id,
            action: request.action,
            detail: request.detail,
            reason: request.reason,
            expiresAt,
          },
        );
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    answer(id, approve, by) {
      const entry = waiting.get(id);
      if (!entry) return false;
      entry.settle({ outcome: approve ? 'approved' : 'denied', by });
      return true;
    },
    answerLatest(sessionId, approve, by) {
      const latest = approvals.pending(sessionId).at(-1);
      if (!latest) return null;
      approvals.answer(latest.id, approve, by);
      return latest;
    },
    get(id) {
      return waiting.get(id)?.approval;
    },
    pending(sessionId) {
      return [...waiting.values()]
        .map((w) => w.approval)
        .filter((a) => !sessionId || a.sessionId === sessionId);
    },
  };
  return approvals;
}
