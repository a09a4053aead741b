import { z } from 'zod';
import { type PolicyContext, toolBaseline } from './compiled-rules.js';
import { decide, type PolicyDecision, strictest } from './decision.js';
import type { PathDecision } from './path/check-path.js';

/** Arguments of the agent tools, as far as the policy needs them (the contract in docs/architecture). */
export const TOOL_PATH_ARGS = {
  read_file: z.object({ path: z.string() }).loose(),
  list_directory: z.object({ path: z.string() }).loose(),
  search_files: z
    .object({ pattern: z.string(), path: z.string().optional(), glob: z.string().optional() })
    .loose(),
  write_file: z.object({ path: z.string(), content: z.string() }).loose(),
  edit_file: z.object({ path: z.string(), old_text: z.string(), new_text: z.string() }).loose(),
  delete_file: z.object({ path: z.string() }).loose(),
  run_command: z.object({ command: z.string(), timeout_ms: z.number().optional() }).loose(),
} as const;

/** The checks a tool decision is built from. */
export interface ToolCheckers {
  checkPath(path: string, opts: { write: boolean }): PathDecision;
  checkShell(command: string): PolicyDecision;
}

/**
 * Decides one agent tool call: validates the arguments, routes paths to the path check and
 * commands to the shell check, and combines that with the tool's baseline (strictest wins).
 */
export function checkToolCall(
  tool: string,
  args: unknown,
  ctx: PolicyContext,
  checks: ToolCheckers,
): PolicyDecision {
  const baseline = toolBaseline(ctx, tool);
  const schema = (TOOL_PATH_ARGS as Record<string, z.ZodType>)[tool];
  if (!schema) return baseline;
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return decide(
      'deny',
      'hard:invalid-arguments',
      `${tool} was called with invalid arguments (${issue?.path.join('.') || 'arguments'}: ${issue?.message}).`,
      tool,
    );
  }
  const a = parsed.data as Record<string, unknown>;
  const found: PolicyDecision[] = [];
  switch (tool) {
    case 'read_file':
    case 'list_directory':
      found.push(checks.checkPath(a.path as string, { write: false }));
      break;
    case 'search_files': {
      found.push(checks.checkPath((a.path as string | undefined) ?? '.', { write: false }));
      const glob = a.glob as string | undefined;
      if (glob && (glob.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(glob) || glob.startsWith('~'))) {
        found.push(
          decide(
            'deny',
            'hard:outside-project',
            `The search glob "${glob}" reaches outside the project.`,
            glob,
          ),
        );
      }
      break;
    }
    case 'write_file':
    case 'edit_file':
    case 'delete_file':
      found.push(checks.checkPath(a.path as string, { write: true }));
      break;
    case 'run_command':
      found.push(checks.checkShell(a.command as string));
      break;
  }
  // The specific check first so that on a tie its reason is the one shown.
  return strictest([...found, baseline]);
}
