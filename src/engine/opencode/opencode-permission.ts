import type { OpenCodePermissionRequest } from './opencode-events.js';

/** One of OpenCode's permission asks, as handed to Ralex's policy and approvals. */
export interface OpenCodePermissionAsk {
  /** OpenCode's permission kind: `edit` (write/edit/patch), `bash`, `read`, `webfetch`, `external_directory`, `doom_loop`, … */
  tool: string;
  /** What exactly: the file for edits and reads, the command for bash, the URL for webfetch. */
  detail: string;
  /** The first pattern OpenCode matched (a path relative to the project's worktree, or a command). */
  pattern?: string;
  patterns: string[];
  /** The OpenCode tool that asked (`write`, `edit`, `bash`, …) and its input, when known. */
  callTool?: string;
  callId?: string;
  input?: Record<string, unknown>;
  /** OpenCode's metadata (e.g. `diff` for edits). */
  metadata: Record<string, unknown>;
}

/** A decision as Ralex's policy states it (structurally the policy's `PolicyDecision`). */
export interface OpenCodeDecision {
  decision: 'allow' | 'ask' | 'deny';
  rule: string;
  reason: string;
}

/** A full answer (structurally compatible with the tool gate's `GateVerdict`): allowed or not, why, and what to tell the model. */
export interface OpenCodePermissionVerdict {
  allowed: boolean;
  decision?: OpenCodeDecision;
  /** Told to the model when refused (e.g. the gate's `output.text`). */
  output?: { text: string };
}

/** What `askPermission` may answer: a plain allow/deny or a verdict with its reason. */
export type OpenCodePermissionAnswer = 'allow' | 'deny' | OpenCodePermissionVerdict;

/** What OpenCode is told when Ralex says no; with a message OpenCode lets the model carry on. */
export const OPENCODE_DENY_MESSAGE =
  'Ralex did not allow this action (its policy or the user said no). Do not retry it; continue without it or say what you need.';

/** Builds the ask from OpenCode's request and the tool call it belongs to. */
export function describeOpenCodeAsk(
  request: OpenCodePermissionRequest,
  call: { tool?: string; input?: Record<string, unknown> } = {},
): OpenCodePermissionAsk {
  const meta = request.metadata;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const detail =
    text(meta.command) ??
    text(meta.filepath) ??
    text(meta.filePath) ??
    text(meta.url) ??
    text(call.input?.filePath) ??
    text(call.input?.url) ??
    (request.patterns.join(', ') || request.permission);
  return {
    tool: request.permission,
    detail,
    pattern: request.patterns[0],
    patterns: request.patterns,
    callTool: call.tool,
    callId: request.tool?.callID,
    input: call.input,
    metadata: meta,
  };
}

/** Normalizes an answer into a verdict with a decision and the text for the model. */
export function toVerdict(answer: OpenCodePermissionAnswer): Required<
  Pick<OpenCodePermissionVerdict, 'allowed' | 'decision'>
> & {
  message: string;
} {
  const verdict = typeof answer === 'string' ? { allowed: answer === 'allow' } : answer;
  const decision = verdict.decision ?? {
    decision: verdict.allowed ? ('allow' as const) : ('deny' as const),
    rule: 'ralex:ask-permission',
    reason: verdict.allowed ? 'Ralex allowed it.' : 'Ralex refused it.',
  };
  return { allowed: verdict.allowed, decision, message: verdict.output?.text ?? OPENCODE_DENY_MESSAGE };
}

/**
 * The Ralex tool call an ask amounts to, for `policy.checkTool` / the tool gate: OpenCode's
 * `write`/`edit` → `write_file`/`edit_file`, `bash` → `run_command` (prefixed with `cd <workdir> &&`
 * when OpenCode runs it elsewhere), `read`/`list`/`glob`/`grep` → `read_file`/`list_directory`/
 * `search_files`, an outside directory → `read_file` of it; anything else keeps its OpenCode name.
 */
export function toRalexToolCall(ask: OpenCodePermissionAsk): { tool: string; args: Record<string, unknown> } {
  const input = ask.input ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const path = str(ask.metadata.filepath) ?? str(input.filePath) ?? str(input.path) ?? ask.pattern ?? '.';
  switch (ask.tool) {
    case 'edit':
      if (ask.callTool === 'edit') {
        return {
          tool: 'edit_file',
          args: { path, old_text: str(input.oldString) ?? '', new_text: str(input.newString) ?? '' },
        };
      }
      return { tool: 'write_file', args: { path, content: str(input.content) ?? '' } };
    case 'bash': {
      const command = str(ask.metadata.command) ?? str(input.command) ?? ask.detail;
      const workdir = str(input.workdir);
      return {
        tool: 'run_command',
        args: { command: workdir ? `cd ${JSON.stringify(workdir)} && ${command}` : command },
      };
    }
    case 'read':
      return { tool: 'read_file', args: { path } };
    case 'list':
    case 'glob':
      return { tool: 'list_directory', args: { path: str(input.path) ?? str(ask.metadata.path) ?? '.' } };
    case 'grep': {
      const glob = str(input.include) ?? str(ask.metadata.include);
      return {
        tool: 'search_files',
        args: {
          pattern: str(input.pattern) ?? str(ask.metadata.pattern) ?? ask.detail,
          path: str(input.path) ?? str(ask.metadata.path) ?? '.',
          ...(glob ? { glob } : {}),
        },
      };
    }
    case 'external_directory':
      return {
        tool: 'read_file',
        args: { path: str(ask.metadata.filepath) ?? (ask.pattern ?? '').replace(/\/\*+$/, '') },
      };
    default:
      return { tool: ask.tool, args: { ...input, detail: ask.detail } };
  }
}
