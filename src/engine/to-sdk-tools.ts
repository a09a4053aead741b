import { type Tool, tool } from 'ai';
import type { EventBody } from '../events/events.js';
import type { ToolGate } from './tool-gate.js';
import type { AgentTool, ToolContext } from './tools/agent-tool.js';

const MAX_EVENT_OUTPUT = 4_000;

/** A tool call as the engine reports it afterwards. */
export interface ToolCallRecord {
  tool: string;
  ok: boolean;
  writes: boolean;
}

/**
 * Turns Ralex's tools into AI SDK tools. Each call passes the gate (policy, then approval when
 * asked) before it runs, and emits `tool.started`/`tool.finished`. A refused call or a tool
 * that throws becomes a readable error result for the model instead of breaking the loop.
 */
export function toSdkTools(
  tools: readonly AgentTool[],
  ctx: ToolContext,
  gate: ToolGate,
  emit: (body: EventBody) => void,
  record: (call: ToolCallRecord) => void,
): Record<string, Tool> {
  // The AI SDK runs the tool calls of one step concurrently; calls that change the project run
  // one after another, so two edits of one file cannot overwrite each other.
  let writing: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = writing.then(work, work);
    writing = next.catch(() => undefined);
    return next;
  };
  const entries = tools.map((t) => [
    t.name,
    tool({
      description: t.description,
      inputSchema: t.parameters,
      execute: async (input: unknown, { toolCallId }) => {
        const verdict = await gate.check(t.name, input);
        const { decision, rule, reason } = verdict.decision;
        emit({ type: 'tool.started', callId: toolCallId, tool: t.name, input, decision, rule, reason });
        const started = performance.now();
        let output: { ok: boolean; text: string };
        if (!verdict.allowed) output = verdict.output;
        else {
          try {
            output = t.writes
              ? await serial(async () => {
                  await ctx.whenWritable?.();
                  return t.execute(input, ctx);
                })
              : await t.execute(input, ctx);
          } catch (error) {
            output = { ok: false, text: `Tool ${t.name} failed: ${(error as Error).message}` };
          }
        }
        emit({
          type: 'tool.finished',
          callId: toolCallId,
          tool: t.name,
          ok: output.ok,
          output: output.text.slice(0, MAX_EVENT_OUTPUT),
          durationMs: Math.round(performance.now() - started),
        });
        record({ tool: t.name, ok: output.ok, writes: t.writes && verdict.allowed });
        return output.ok ? output.text : `ERROR: ${output.text}`;
      },
    }),
  ]);
  return Object.fromEntries(entries);
}
