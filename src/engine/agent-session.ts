import type { ModelMessage } from 'ai';
import type { CommandRun } from '../command/command-run.js';
import type { ModelPlan } from '../command/model-plan.js';
import type { Runtime } from '../runtime.js';
import { agentToolContext } from './agent-tool-context.js';
import type { AgentWrites } from './attribution/write-ledger.js';
import type { AgentRunResult } from './run-agent.js';
import { runAgent } from './run-agent.js';
import type { ToolGate } from './tool-gate.js';
import type { AgentTool } from './tools/agent-tool.js';

/** Runtimes that stop the shared OpenCode server when they close. */
const closesOpenCode = new WeakSet<Runtime>();

/** What one turn of the agent produced (either engine). */
export type AgentTurn = Omit<AgentRunResult, 'responseMessages'>;

/** One command's conversation with the configured engine: a first turn, then follow-ups (e.g. failed checks). */
export interface AgentSession {
  /** Runs a turn; `followUp` is a new user message (none for the first turn). */
  turn(followUp?: string): Promise<AgentTurn>;
}

/**
 * Opens the conversation with the engine preferences.yaml names: the built-in AI SDK agent,
 * or OpenCode — whose model calls go through Ralex's own /v1 and whose permission asks go
 * through the same gate (policy, then approval) as the built-in tools.
 */
export function openAgentSession(options: {
  rt: Runtime;
  run: CommandRun;
  plan: ModelPlan;
  tools: readonly AgentTool[];
  gate: ToolGate;
  /** A change's write ledger: what the agent writes is recorded as it happens (and waits until it may). */
  ledger?: AgentWrites;
}): AgentSession {
  const { rt, run, plan, gate } = options;
  const prefs = rt.config.preferences.engine;
  if (prefs.type === 'opencode') {
    let sessionId: string | undefined;
    return {
      async turn(followUp) {
        // OpenCode, its server pool and Ralex's loopback API load only for the OpenCode engine.
        const [api, { runOpenCode }, { toRalexToolCall }, { sharedOpenCodeServers }] = await Promise.all([
          rt.loopbackApi(),
          import('./opencode/opencode-engine.js'),
          import('./opencode/opencode-permission.js'),
          import('./opencode/opencode-server-pool.js'),
        ]);
        if (!closesOpenCode.has(rt)) {
          closesOpenCode.add(rt);
          rt.onClose(() => sharedOpenCodeServers.close());
        }
        // OpenCode writes with its own tools, so the whole turn is bracketed as the agent's doing.
        const bracket = <T>(work: () => Promise<T>) =>
          options.ledger ? options.ledger.around('command', work) : work();
        const result = await bracket(() =>
          runOpenCode({
            projectRoot: rt.root,
            ralexBaseUrl: api.baseUrl,
            ralexToken: api.token,
            model: plan.selection.model,
            prompt: followUp ?? firstUserText(plan.prompt.messages),
            system: plan.prompt.system,
            signal: run.signal,
            emit: run.emit,
            askPermission: (ask) => {
              const call = toRalexToolCall(ask);
              return gate.check(call.tool, call.args);
            },
            sessionId,
            // OpenCode's model calls come back through Ralex's /v1 with this id: they are this command's.
            // They get the router's fallbacks, and their hops are in the result.
            onSession: (id) =>
              rt.models.attribute(id, {
                commandId: run.id,
                sessionId: run.sessionId,
                fallbacks: plan.selection.fallbacks,
                onHop: (hop) => plan.selection.noteHop(hop),
              }),
          }),
        );
        sessionId = result.sessionId;
        return result;
      },
    };
  }
  const messages: ModelMessage[] = [...plan.prompt.messages];
  return {
    async turn(followUp) {
      if (followUp) messages.push({ role: 'user', content: followUp });
      const result = await runAgent({
        model: plan.selection.languageModel,
        system: plan.prompt.system,
        messages,
        tools: options.tools,
        toolContext: agentToolContext(run, rt, options.ledger),
        gate,
        maxSteps: prefs.max_steps,
        idleTimeoutMs: prefs.model_timeout_ms,
        signal: run.signal,
        emit: run.emit,
      });
      messages.push(...result.responseMessages);
      return result;
    },
  };
}

function firstUserText(messages: readonly ModelMessage[]): string {
  const first = messages.find((m) => m.role === 'user');
  return typeof first?.content === 'string' ? first.content : JSON.stringify(first?.content ?? '');
}
