import type { DirectAction } from './direct-action.js';

/** "confirm" / "approve" / "yes": approves the newest approval waiting in this session. */
export const confirmApproval: DirectAction = async (_parsed, run, rt) =>
  answerLatest(run.sessionId, true, run.source, rt);

/** "deny" / "no": denies the newest approval waiting in this session. */
export const denyApproval: DirectAction = async (_parsed, run, rt) =>
  answerLatest(run.sessionId, false, run.source, rt);

async function answerLatest(
  sessionId: string,
  approve: boolean,
  by: string,
  rt: Parameters<DirectAction>[2],
) {
  const answered = rt.approvals.answerLatest(sessionId, approve, by);
  if (!answered) {
    return {
      status: 'failed' as const,
      reply: 'Nothing is waiting for an approval.',
      spoken: 'Nothing is waiting for approval.',
    };
  }
  const verb = approve ? 'Approved' : 'Denied';
  return { reply: `${verb}: ${answered.detail}`, spoken: `${verb}.` };
}

/** "cancel" / "stop": cancels the commands still running in this session. */
export const cancelRunning: DirectAction = async (_parsed, run, rt) => {
  const targets = [...rt.running.entries()].filter(
    ([id, r]) => id !== run.id && r.sessionId === run.sessionId,
  );
  for (const [, r] of targets) r.controller.abort();
  if (!targets.length) return { reply: 'Nothing is running in this session.', spoken: 'Nothing is running.' };
  return {
    reply: `Cancelled ${targets.length} running command${targets.length === 1 ? '' : 's'}.`,
    spoken: 'Cancelled.',
  };
};

/** "repeat" / "say that again": the last reply of this session. */
export const repeatLast: DirectAction = async (_parsed, run, rt) => {
  const last = rt.commands
    .listBySession(run.sessionId, 20)
    .find((c) => c.id !== run.id && c.result && c.intent !== 'repeat');
  const result = last?.result as { reply?: string; spoken?: string } | undefined;
  if (!result?.reply) return { status: 'failed', reply: 'There is nothing to repeat yet in this session.' };
  return { reply: result.reply, spoken: result.spoken };
};

/** "status": what is running, what waits for approval, and which models are configured. */
export const showStatus: DirectAction = async (_parsed, run, rt) => {
  const running = [...rt.running.values()].filter((r) => r.commandId !== run.id);
  const pending = rt.approvals.pending();
  const providers = rt.registry.providers.map((p) => p.id);
  const lines = [
    running.length ? `Running: ${running.map((r) => `"${r.text}"`).join(', ')}` : 'Nothing else is running.',
    pending.length
      ? `Waiting for approval: ${pending.map((a) => a.detail).join('; ')}`
      : 'No approvals are waiting.',
    providers.length
      ? `Model providers: ${providers.join(', ')}.`
      : 'No model provider is configured; direct commands still work.',
  ];
  return { reply: lines.join('\n'), spoken: lines.slice(0, 2).join(' ') };
};
