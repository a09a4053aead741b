import type { CommandResult } from '../command/command-result.js';
import type { CommandRequest, CommandRun } from '../command/command-run.js';
import type { ModelPlan } from '../command/model-plan.js';
import { abortError } from '../engine/abort-error.js';
import { RalexError, toRalexError } from '../errors.js';
import type { StageName } from '../events/events.js';
import { commandCost } from '../models/command-cost.js';
import { noModelError } from '../models/model-registry.js';
import { askForCommand } from '../policy/approvals/ask-for-command.js';
import type { Runtime } from '../runtime.js';
import { contextPackedEvent, gatherContext } from './context.js';
import { enhancePrompt } from './enhance.js';
import { abandonEarly, type EarlyStart, execute, startEarly } from './execute.js';
import { failedResult } from './failed-result.js';
import { checkBudgets, guard } from './guard.js';
import { confirmHeard, parseRequest } from './heard-command.js';
import { record } from './record.js';
import { respond, type StageTimings } from './respond.js';
import { modelSelectedEvent, selectModel } from './route.js';

/**
 * The pipeline, top to bottom. Every command — typed, spoken, from the CLI, the web app or an
 * OpenAI client — goes through these stages in this order:
 *
 *   parse → guard → context → enhance → route → execute → record → respond
 *
 * A command heard by the recogniser with too little certainty for what it would do (undo, push,
 * confirm, an auto-submit...) is asked back first (`confirmHeard`). Direct intents (run the
 * tests, what changed, show a file...) and workflows skip context,
 * enhance and route: they need no model (a workflow's steps are commands of their own). Each
 * stage is timed and announced on the event bus.
 */
export function runCommand(request: CommandRequest, rt: Runtime): Promise<CommandResult> {
  return rt.track(runStages(request, rt));
}

async function runStages(request: CommandRequest, rt: Runtime): Promise<CommandResult> {
  const run = beginCommand(request, rt);
  const startedAt = performance.now();
  const stages: StageTimings = [];
  const stage = async <T>(
    name: StageName,
    work: () => T | Promise<T>,
    summarize: (out: T) => string,
  ): Promise<T> => {
    if (run.signal.aborted) throw abortError(run.signal);
    run.emit({ type: 'stage.started', stage: name });
    const t0 = performance.now();
    const out = await work();
    const durationMs = Math.round((performance.now() - t0) * 100) / 100;
    stages.push({ stage: name, durationMs, skipped: false });
    run.emit({ type: 'stage.finished', stage: name, durationMs, summary: summarize(out) });
    return out;
  };
  const skip = (name: StageName, reason: string) => {
    stages.push({ stage: name, durationMs: 0, skipped: true });
    run.emit({ type: 'stage.skipped', stage: name, reason });
  };

  let intent: CommandResult['intent'] = null;
  let early: EarlyStart | null = null;
  try {
    const parsed = await stage(
      'parse',
      () => parseRequest(request, run, rt),
      (p) =>
        `${p.intent}${p.files.length ? ` ${p.files.join(', ')}` : ''}${p.autoSubmit ? ` (auto-submit: "${p.trigger}")` : ''}${p.heardCheck ? ' (heard, asking back)' : ''}`,
    );
    intent = parsed.intent;
    rt.commands.setIntent(run.id, parsed.intent);
    run.emit({ type: 'command.parsed', parsed });
    // Heard, but not surely enough to act on: "Did you say undo? Say yes or no."
    await confirmHeard(parsed, run, rt);

    const verdict = await stage(
      'guard',
      () => {
        checkBudgets(parsed, run, rt);
        return guard(parsed, rt);
      },
      (d) => `${d.decision}: ${d.reason}`,
    );
    run.emit({
      type: 'guard.decided',
      decision: verdict.decision,
      rule: verdict.rule,
      reason: verdict.reason,
    });
    if (verdict.decision !== 'allow') {
      const answer =
        verdict.decision === 'ask'
          ? await askForCommand(run, rt, {
              action: parsed.intent,
              detail: parsed.request,
              reason: verdict.reason,
            })
          : null;
      if (answer !== 'approved') {
        const why = answer ? `not approved (${answer})` : 'refused by the policy';
        throw new RalexError('policy_denied', `"${parsed.request}" was ${why}: ${verdict.reason}`, {
          details: { rule: verdict.rule },
        });
      }
    }

    // A change's lock, checkpoint and test baseline start here and run beside the model stages.
    early = startEarly(parsed, run, rt);
    let plan: ModelPlan | null = null;
    if (parsed.direct || parsed.intent === 'workflow') {
      for (const name of ['context', 'enhance', 'route'] as const)
        skip(name, 'A direct command needs no model.');
    } else {
      // Without any model provider the command cannot run: say so before gathering its context.
      await rt.registry.ready();
      if (!rt.registry.providers.length) throw noModelError();
      const context = await stage(
        'context',
        () => gatherContext(parsed, run, rt),
        (c) => `${c.items.length} items, ${c.tokens}/${c.budget} tokens`,
      );
      run.emit(contextPackedEvent(context));
      const prompt = await stage(
        'enhance',
        () => enhancePrompt(parsed, context),
        (p) => `~${p.estimatedTokens} tokens`,
      );
      const selection = await stage(
        'route',
        () => selectModel(rt, { parsed, prompt, run, explicit: request.model }),
        (s) => s.model,
      );
      run.emit(modelSelectedEvent(selection));
      plan = { prompt, selection };
    }

    const outcome = await stage(
      'execute',
      () =>
        execute(
          parsed,
          run,
          rt,
          plan,
          (text) =>
            runCommand(
              {
                text,
                sessionId: run.sessionId,
                source: 'workflow',
                autoApprove: run.autoApprove,
                signal: run.signal,
              },
              rt,
            ),
          early,
        ),
      (o) => o.status ?? 'succeeded',
    );
    await stage(
      'record',
      () => record(parsed, outcome, run, rt),
      (file) => `logged in ${file}`,
    );
    const result = await stage(
      'respond',
      () => respond(parsed, outcome, run, { startedAt, stages }, commandCost(rt.models.ledger, run.id)),
      (r) => r.spoken,
    );
    return finishCommand(run, rt, result);
  } catch (thrown) {
    await abandonEarly(early);
    return failCommand(run, rt, toRalexError(thrown), { intent, startedAt, stages });
  }
}

/** Registers the command (session, store row, cancel handle) and announces it. */
function beginCommand(request: CommandRequest, rt: Runtime): CommandRun {
  const now = rt.clock().toISOString();
  const sessionId = request.sessionId ?? rt.ids('ses');
  if (!rt.sessions.get(sessionId)) {
    rt.sessions.create({ id: sessionId, title: request.text.slice(0, 80), now });
    rt.bus.publish(
      { sessionId, commandId: null },
      { type: 'session.created', title: request.text.slice(0, 80) },
    );
  }
  const id = request.commandId ?? rt.ids('cmd');
  rt.commands.insert({ id, sessionId, text: request.text, source: request.source, now, owner: rt.owner });
  const controller = new AbortController();
  request.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  if (request.signal?.aborted) controller.abort();
  rt.running.set(id, { commandId: id, sessionId, text: request.text, controller });
  const run: CommandRun = {
    id,
    sessionId,
    text: request.text,
    source: request.source,
    autoApprove: request.autoApprove ?? false,
    signal: controller.signal,
    emit: (body) => rt.bus.publish({ sessionId, commandId: id }, body),
    pause: (error) => {
      rt.bus.publish({ sessionId, commandId: id }, { type: 'session.paused', reason: error.message });
      controller.abort(error);
    },
  };
  run.emit({ type: 'command.accepted', text: request.text, source: request.source });
  return run;
}

function finishCommand(run: CommandRun, rt: Runtime, result: CommandResult): CommandResult {
  rt.commands.finish(run.id, result.status, rt.clock().toISOString(), { result });
  rt.sessions.touch(run.sessionId, rt.clock().toISOString());
  rt.running.delete(run.id);
  run.emit({ type: 'command.finished', result });
  return result;
}

function failCommand(
  run: CommandRun,
  rt: Runtime,
  error: RalexError,
  at: { intent: CommandResult['intent']; startedAt: number; stages: StageTimings },
): CommandResult {
  const spend = commandCost(rt.models.ledger, run.id);
  const result = {
    ...failedResult(error, {
      commandId: run.id,
      sessionId: run.sessionId,
      intent: at.intent,
      durationMs: Math.round(performance.now() - at.startedAt),
      stages: at.stages,
    }),
    // What a failed command spent is still spent.
    cost: spend.calls ? spend.cost : null,
    ...(spend.estimated ? { costEstimated: true } : {}),
  };
  const status = result.status;
  rt.commands.finish(run.id, status, rt.clock().toISOString(), { result, error: error.toJSON() });
  rt.sessions.touch(run.sessionId, rt.clock().toISOString());
  rt.running.delete(run.id);
  run.emit({
    type: 'command.failed',
    code: error.code,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
  });
  // Every command ends with command.finished, so a client waiting for "the end" has one event to wait for.
  run.emit({ type: 'command.finished', result });
  return result;
}
