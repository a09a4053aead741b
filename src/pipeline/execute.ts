import type { CommandRun } from '../command/command-run.js';
import type { ModelPlan, ModelSelection } from '../command/model-plan.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import type { ChangeStart } from '../engine/change-start.js';
import type { DirectOutcome } from '../engine/direct/direct-action.js';
import { DIRECT_ACTIONS } from '../engine/direct/direct-actions.js';
import { findWorkflow } from '../engine/workflows/find-workflow.js';
import { type RunStep, runWorkflow } from '../engine/workflows/run-workflow.js';
import { RalexError } from '../errors.js';
import { startGitLauncher } from '../git/git-launcher.js';
import { askForCommand } from '../policy/approvals/ask-for-command.js';
import type { Runtime } from '../runtime.js';

/** The execute stage's output: a direct action's outcome, plus the model's usage when one ran. */
export interface ExecutionOutcome extends DirectOutcome {
  commit?: string | null;
  model: string | null;
  modelReason: string | null;
  usage: { inputTokens: number | null; outputTokens: number | null } | null;
  /** Retries and fallbacks of the model calls. */
  modelHops?: ReturnType<ModelSelection['report']>['hops'];
  /** The task routed by and the candidates the router scored, best first. */
  routing?: { task: string; candidates: ModelSelection['candidates'] };
}

/** Intents that change the project: they run inside a checkpoint, with every tool, verified by the checks. */
const CHANGE_INTENTS: ReadonlySet<ParsedCommand['intent']> = new Set([
  'fix_bug',
  'implement',
  'refactor',
  'test',
]);

/** What the execute stage begins before the model stages: a change's lock, checkpoint and baseline. */
export type EarlyStart = Promise<ChangeStart | null>;

/**
 * Begins a change as soon as the command is known to be one (after the guard), so its
 * checkpoint and test baseline run beside the context, enhance and route stages
 * (engine/change-start.ts); for a question to the model, only its agent's modules start loading.
 */
export function startEarly(parsed: ParsedCommand, run: CommandRun, rt: Runtime): EarlyStart {
  if (parsed.direct || parsed.intent === 'workflow') return Promise.resolve(null);
  // A command that runs the model makes dozens of git calls at a large RSS: fork them from the
  // small launcher process, off this event loop (git/git-launcher.ts).
  startGitLauncher();
  // The agent's modules (the AI SDK among them, ~80 ms to load) compile while the context and
  // route stages mostly wait for git, instead of at the start of execute.
  preloadAgent(parsed);
  if (!CHANGE_INTENTS.has(parsed.intent)) return Promise.resolve(null);
  const start = import('../engine/change-start.js').then((m) => m.beginChange(parsed, run, rt));
  start.catch(() => undefined); // awaited by execute, or by abandonEarly
  return start;
}

/** Starts loading the modules execute will import for this command; execute imports them again (cached). */
function preloadAgent(parsed: ParsedCommand): void {
  const modules = CHANGE_INTENTS.has(parsed.intent)
    ? [import('../engine/run-change.js')]
    : [
        import('../engine/tool-gate.js'),
        import('../engine/tools/agent-tools.js'),
        import('../engine/agent-session.js'),
      ];
  for (const m of modules) m.catch(() => undefined); // a failure shows where execute imports it
}

/** Ends an early start the execute stage never took (a stage before it failed): the lock released, the baseline stopped. */
export async function abandonEarly(early: EarlyStart | null): Promise<void> {
  const start = await early?.catch(() => null);
  await start?.abandon();
}

/**
 * The execute stage: a direct intent runs its action; anything else runs the agent with the
 * selected model: a change (fix, implement, refactor, tests) runs inside a checkpoint with every
 * tool and is verified, committed or rolled back (engine/run-change.ts); a question, explanation
 * or review gets the read-only tools. Every tool call passes the policy.
 */
export async function execute(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Runtime,
  plan: ModelPlan | null,
  runStep: RunStep,
  early: EarlyStart | null = null,
): Promise<ExecutionOutcome> {
  if (parsed.intent === 'workflow') {
    return {
      ...(await startWorkflow(parsed, run, rt, runStep)),
      model: null,
      modelReason: null,
      usage: null,
    };
  }
  if (!plan) {
    const load = DIRECT_ACTIONS[parsed.intent];
    if (!load) throw new RalexError('internal_error', `No direct action for intent ${parsed.intent}.`);
    const action = await load();
    return { ...(await action(parsed, run, rt)), model: null, modelReason: null, usage: null };
  }
  if (CHANGE_INTENTS.has(parsed.intent)) {
    // The model engines (AI SDK, OpenCode) load only when a command needs them: direct commands stay fast.
    const { runChange } = await import('../engine/run-change.js');
    const change = await runChange(parsed, run, rt, plan, (await early) ?? undefined);
    return {
      status: change.status,
      reply: change.reply,
      files: parsed.files,
      filesChanged: change.filesChanged,
      diff: change.diff,
      checks: change.checks,
      commit: change.commit,
      ...answeredBy(plan),
      usage: { inputTokens: change.inputTokens, outputTokens: change.outputTokens },
    };
  }
  // The agent, its tools and the gate load only for a command that runs the model.
  const [{ createToolGate }, { READ_ONLY_TOOLS }, { openAgentSession }] = await Promise.all([
    import('../engine/tool-gate.js'),
    import('../engine/tools/agent-tools.js'),
    import('../engine/agent-session.js'),
  ]);
  const gate = createToolGate({
    policy: rt.policy,
    ask: (request) => askForCommand(run, rt, request),
    pause: run.pause,
    allowedTools: new Set(READ_ONLY_TOOLS.map((t) => t.name)),
  });
  const agent = await openAgentSession({ rt, run, plan, tools: READ_ONLY_TOOLS, gate }).turn();
  run.emit({
    type: 'model.finished',
    model: plan.selection.report().model,
    inputTokens: agent.inputTokens,
    outputTokens: agent.outputTokens,
    finishReason: agent.finishReason,
  });
  return {
    reply: agent.text || '(The model gave no answer.)',
    files: parsed.files,
    ...answeredBy(plan),
    usage: { inputTokens: agent.inputTokens, outputTokens: agent.outputTokens },
  };
}

/** A workflow named by the command: its steps run as commands of their own. Workflows do not start workflows. */
async function startWorkflow(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Runtime,
  runStep: RunStep,
): Promise<DirectOutcome> {
  if (run.source === 'workflow')
    throw new RalexError('bad_request', 'A workflow step cannot start another workflow.');
  const match = findWorkflow(rt.config.workflows, parsed.args.workflow, parsed.request);
  if (match.name === null) {
    const known = match.candidates.length
      ? `Workflows here: ${match.candidates.join(', ')}.`
      : 'This project has no workflows yet.';
    return {
      status: match.candidates.length ? 'needs_input' : 'failed',
      reply: `Which workflow? ${known} They live in .ralex/config/workflows.yaml (ralex init writes an example).`,
      spoken: match.candidates.length
        ? `Which workflow: ${match.candidates.slice(0, 3).join(', or ')}?`
        : 'This project has no workflows yet.',
    };
  }
  return runWorkflow(match.name, match.workflow, run, runStep);
}

/** Candidates a result lists (the `model.selected` event lists ten). */
const MAX_CANDIDATES = 5;

/** The model that answered (a fallback, when the chosen one failed), why, and the hops on the way. */
function answeredBy(plan: ModelPlan) {
  const report = plan.selection.report();
  const moved = report.model !== plan.selection.model;
  return {
    model: report.model,
    modelReason: moved
      ? `${plan.selection.reasoning} ${plan.selection.model} failed, so ${report.model} answered.`
      : plan.selection.reasoning,
    modelHops: report.hops,
    routing: { task: plan.selection.task, candidates: plan.selection.candidates.slice(0, MAX_CANDIDATES) },
  };
}
