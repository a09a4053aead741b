import type { DirectOutcome } from '../engine/direct/direct-action.js';
import { DIRECT_ACTIONS } from '../engine/direct/direct-actions.js';
import { runAgent } from '../engine/run-agent.js';
import type { ToolContext } from '../engine/tools/agent-tool.js';
import { READ_ONLY_TOOLS } from '../engine/tools/read-only-tools.js';
import { RalexError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { CommandRun } from './command-run.js';
import type { EnhancedPrompt } from './enhance.js';
import type { ParsedCommand } from './parsed-command.js';
import type { ModelSelection } from './route.js';

/** The execute stage's output: a direct action's outcome, plus the model's usage when one ran. */
export interface ExecutionOutcome extends DirectOutcome {
  model: string | null;
  modelReason: string | null;
  usage: { inputTokens: number | null; outputTokens: number | null } | null;
}

/** The plan for a model run, from the enhance and route stages. */
export interface ModelPlan {
  prompt: EnhancedPrompt;
  selection: ModelSelection;
}

/**
 * The execute stage: a direct intent runs its action; anything else runs the agent with the
 * selected model. The agent only reads for now: `read_file`, `list_directory`, `search_files`,
 * each call checked by the path policy.
 */
export async function execute(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Runtime,
  plan: ModelPlan | null,
): Promise<ExecutionOutcome> {
  if (!plan) {
    const action = DIRECT_ACTIONS[parsed.intent];
    if (!action) throw new RalexError('internal_error', `No direct action for intent ${parsed.intent}.`);
    return { ...(await action(parsed, run, rt)), model: null, modelReason: null, usage: null };
  }
  const toolContext: ToolContext = {
    root: rt.root,
    signal: run.signal,
    checkPath: (path, options) => rt.policy.checkPath(path, options),
    listFiles: () => rt.files.list(),
  };
  const agent = await runAgent({
    model: plan.selection.languageModel,
    system: plan.prompt.system,
    messages: plan.prompt.messages,
    tools: READ_ONLY_TOOLS,
    toolContext,
    maxSteps: rt.config.preferences.engine.max_steps,
    idleTimeoutMs: rt.config.preferences.engine.model_timeout_ms,
    signal: run.signal,
    emit: run.emit,
  });
  run.emit({
    type: 'model.finished',
    model: plan.selection.model,
    inputTokens: agent.inputTokens,
    outputTokens: agent.outputTokens,
    finishReason: agent.finishReason,
  });
  return {
    reply: agent.text || '(The model gave no answer.)',
    files: parsed.files,
    model: plan.selection.model,
    modelReason: plan.selection.reasoning,
    usage: { inputTokens: agent.inputTokens, outputTokens: agent.outputTokens },
  };
}
