import type { CommandRun } from '../../command/command-run.js';
import type { Runtime } from '../../runtime.js';

/**
 * Asks the user to approve one action of a command — or takes `--yes` as the answer. Resolves
 * with how it ended; the approval times out to denied, so nothing waits forever.
 */
export async function askForCommand(
  run: Pick<CommandRun, 'id' | 'sessionId' | 'autoApprove' | 'signal'>,
  rt: Pick<Runtime, 'approvals' | 'config'>,
  request: { action: string; detail: string; reason: string },
): Promise<'approved' | 'denied' | 'timed_out'> {
  if (run.autoApprove) return 'approved';
  const answer = await rt.approvals.request(
    { sessionId: run.sessionId, commandId: run.id, ...request },
    { timeoutMs: rt.config.preferences.approvals.timeout_ms, signal: run.signal },
  );
  return answer.outcome;
}
