import type { z } from 'zod';

/** The answer of the path policy for one path a tool wants to touch. */
export interface PathCheck {
  decision: 'allow' | 'ask' | 'deny';
  reason: string;
  rule: string;
  /** Absolute, symlink-resolved path (present when the path could be resolved). */
  resolved?: string;
}

/** What a tool may use while it runs. The policy, not the tool, decides what is allowed. */
export interface ToolContext {
  /** Absolute project root. */
  root: string;
  signal: AbortSignal;
  /** Checks a path against the policy; tools never touch a path without asking this first. */
  checkPath(path: string, options: { write: boolean }): PathCheck;
  /** The project's files (tracked and untracked, not ignored), project-relative. */
  listFiles(): Promise<string[]>;
}

/** What a tool returns to the model: text it can read, and whether it is an error it should act on. */
export interface ToolOutput {
  ok: boolean;
  text: string;
}

/** A tool declared as data: name and arguments are part of Ralex's contract (architecture.md). */
export interface AgentTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: S;
  /** Runs the tool. Expected failures return `{ ok: false, text }` for the model; they do not throw. */
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutput>;
}

/** Declares a tool (keeps the argument type tied to its schema). */
export function defineTool<S extends z.ZodType>(tool: AgentTool<S>): AgentTool<S> {
  return tool;
}

/** A failing tool result the model can read and act on. */
export function toolError(text: string): ToolOutput {
  return { ok: false, text };
}

/**
 * Resolves a path through the policy and returns the absolute path, or a readable error for the
 * model. `ask` counts as not allowed here until approvals exist for read-only tools.
 */
export function allowedPath(ctx: ToolContext, path: string, write: boolean): { path: string } | ToolOutput {
  const check = ctx.checkPath(path, { write });
  if (check.decision !== 'allow' || !check.resolved) {
    return toolError(
      `Not allowed: ${path} — ${check.reason} (rule ${check.rule}). Use a path inside the project.`,
    );
  }
  return { path: check.resolved };
}
