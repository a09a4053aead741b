import { join } from 'node:path';
import type { z } from 'zod';
import type { ProcessResult } from '../../policy/sandbox/run-process.js';

/** The answer of the path policy for one path, with the resolved location. */
export interface PathCheck {
  decision: 'allow' | 'ask' | 'deny';
  reason: string;
  rule: string;
  /** Absolute, symlink-resolved path (present when the path could be resolved). */
  resolved?: string;
}

/**
 * What a tool may use while it runs. The decision whether a call may run at all was made
 * before (engine/tool-gate.ts: policy + approval); tools only resolve paths and do the work.
 */
export interface ToolContext {
  /** Absolute project root. */
  root: string;
  signal: AbortSignal;
  /** Resolves a path through the path policy (symlinks, `..`, look-alikes). */
  checkPath(path: string, options: { write: boolean }): PathCheck;
  /** The project's files (tracked and untracked, not ignored), project-relative. */
  listFiles(): Promise<string[]>;
  /** Runs a shell command in the project, sandboxed when possible, killed whole on timeout or cancel. */
  runShell(command: string, options: { timeoutMs: number; network: boolean }): Promise<ProcessResult>;
  /**
   * Tells the engine a file is about to be written (or deleted, `content` null), before the write:
   * a crash between the two then still knows the file as the agent's.
   */
  willWrite(path: string, content: string | null): Promise<void>;
  /** Tells the engine a file was written or deleted: recorded as the agent's, file index refreshed. */
  fileChanged(path: string): Promise<void>;
  /**
   * Resolves when a tool that writes may start (a change's checkpoint and baseline done). Awaited
   * before the tool reads what it will change, so a user's edit made while it waited is not
   * overwritten with a version computed from the older file.
   */
  whenWritable?(): Promise<void>;
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
  /** True for tools that change the project (they run inside a checkpoint). */
  writes: boolean;
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
 * The absolute path for a tool, or a readable error for the model. The call already passed
 * the gate, so an `ask` here was approved; only `deny` stops it.
 */
export function toolPath(ctx: ToolContext, path: string, write: boolean): { path: string } | ToolOutput {
  const check = ctx.checkPath(path, { write });
  if (check.decision === 'deny' || !check.resolved) {
    return toolError(`Not allowed: ${path} — ${check.reason} Use a path inside the project.`);
  }
  return { path: check.resolved };
}

/** Where the file tools stage a write before renaming it into place (Ralex's state, never the agent's view). */
export function toolTmpDir(ctx: ToolContext): string {
  return join(ctx.root, '.ralex', 'state', 'tmp');
}

/** The project-relative form of an absolute path inside the project. */
export function relativePath(ctx: ToolContext, absolute: string): string {
  return absolute === ctx.root ? '.' : absolute.slice(ctx.root.length + 1);
}
