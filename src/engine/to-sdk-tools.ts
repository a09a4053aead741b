import { type Tool, tool } from 'ai';
import type { EventBody } from '../events/events.js';
import type { AgentTool, ToolContext } from './tools/agent-tool.js';

const MAX_EVENT_OUTPUT = 4_000;

/**
 * Turns Ralex's tools into AI SDK tools. Each call emits `tool.started`/`tool.finished`, and a
 * tool that throws becomes a readable error result for the model instead of breaking the loop.
 */
export function toSdkTools(
  tools: readonly AgentTool[],
  ctx: ToolContext,
  emit: (body: EventBody) => void,
  record: (call: { tool: string; ok: boolean }) => void,
): Record<string, Tool> {
  const entries = tools.map((t) => [
    t.name,
    tool({
      description: t.description,
      inputSchema: t.parameters,
      execute: async (input: unknown, { toolCallId }) => {
        emit({ type: 'tool.started', callId: toolCallId, tool: t.name, input });
        const started = performance.now();
        let output: { ok: boolean; text: string };
        try {
          output = await t.execute(input, ctx);
        } catch (error) {
          output = { ok: false, text: `Tool ${t.name} failed: ${(error as Error).message}` };
        }
        emit({
          type: 'tool.finished',
          callId: toolCallId,
          tool: t.name,
          ok: output.ok,
          output: output.text.slice(0, MAX_EVENT_OUTPUT),
          durationMs: Math.round(performance.now() - started),
        });
        record({ tool: t.name, ok: output.ok });
        return output.ok ? output.text : `ERROR: ${output.text}`;
      },
    }),
  ]);
  return Object.fromEntries(entries);
}
