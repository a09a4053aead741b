import type { EventBus } from '../../events/event-bus.js';
import type { RalexEvent } from '../../events/events.js';
import type { AuditAppend } from './audit-entry.js';
import type { AuditTrail } from './audit-trail.js';
import { appendSecuritySummary } from './security-summary.js';

const MAX_OUTPUT = 500;

/**
 * What the audit trail keeps of one event: commands, decisions, approvals, tool calls, file
 * writes, checkpoints, commits and rollbacks. Streaming text and stage timings are left out.
 */
export function auditEntriesOf(event: RalexEvent): AuditAppend[] {
  const at = { sessionId: event.sessionId, commandId: event.commandId };
  switch (event.type) {
    case 'command.accepted':
      return [{ ...at, kind: 'command', body: { text: event.text, source: event.source } }];
    case 'command.finished':
      return [
        {
          ...at,
          kind: 'command',
          body: { status: event.result.status, commit: event.result.commit ?? null },
        },
      ];
    case 'guard.decided':
      return [
        {
          ...at,
          kind: 'decision',
          body: { decision: event.decision, rule: event.rule, reason: event.reason, subject: 'command' },
        },
      ];
    case 'tool.started': {
      const subject = JSON.stringify(event.input).slice(0, MAX_OUTPUT);
      return [
        {
          ...at,
          kind: 'decision',
          body: {
            decision: event.decision,
            rule: event.rule,
            reason: event.reason,
            subject,
            tool: event.tool,
          },
        },
        { ...at, kind: 'tool_call', body: { callId: event.callId, tool: event.tool, input: event.input } },
      ];
    }
    case 'tool.finished':
      return [
        {
          ...at,
          kind: 'tool_call',
          body: {
            callId: event.callId,
            tool: event.tool,
            ok: event.ok,
            output: event.output.slice(0, MAX_OUTPUT),
          },
        },
      ];
    case 'approval.requested':
      return [
        {
          ...at,
          kind: 'approval',
          body: {
            approvalId: event.approvalId,
            action: event.action,
            subject: event.detail,
            reason: event.reason,
          },
        },
      ];
    case 'approval.resolved':
      return [
        {
          ...at,
          kind: 'approval',
          body: { approvalId: event.approvalId, outcome: event.outcome, by: event.by },
        },
      ];
    case 'checkpoint.created':
      return [{ ...at, kind: 'checkpoint', body: { checkpointId: event.checkpointId, files: event.files } }];
    case 'checkpoint.restored':
      return [
        {
          ...at,
          kind: 'rollback',
          body: { checkpointId: event.checkpointId, reason: event.reason, files: event.files },
        },
      ];
    case 'change.committed':
      return [
        { ...at, kind: 'commit', body: { sha: event.sha, message: event.message, files: event.files } },
      ];
    case 'change.undone':
    case 'change.redone':
      return [{ ...at, kind: 'commit', body: { ...event, type: event.type } }];
    case 'session.paused':
      return [{ ...at, kind: 'anomaly', body: { reason: event.reason } }];
    default:
      return [];
  }
}

/**
 * Keeps the audit trail from the bus: every auditable event is appended to the keyed chain, and
 * decisions that were not a plain allow (and approval outcomes) to `.ralex/context/security_audit.md`;
 * the head file is written at the end of each command.
 */
export function recordAuditFromBus(bus: EventBus, trail: AuditTrail, projectRoot: string): () => void {
  return bus.subscribe((event) => {
    for (const append of auditEntriesOf(event)) {
      const entry = trail.append(append);
      if (entry.kind === 'decision' || entry.kind === 'approval') {
        appendSecuritySummary(projectRoot, entry, trail.headLine({ seq: entry.seq, mac: entry.hash }));
      }
    }
    // The head file is current at the end of every command.
    if (event.type === 'command.finished') trail.flush();
  });
}
