import { RalexError } from '../errors.js';
import type { PolicyDecision } from '../policy/decision.js';
import type { Policy } from '../policy/policy.js';
import { detectSandbox } from '../policy/sandbox/detect-sandbox.js';
import type { ToolOutput } from './tools/agent-tool.js';

/** What the gate needs: the policy, a way to ask the user, and where to stop the run. */
export interface ToolGateDeps {
  policy: Pick<Policy, 'checkTool' | 'ready'>;
  /** Asks for approval; resolves with how it ended (never hangs: approvals time out). */
  ask(request: {
    action: string;
    detail: string;
    reason: string;
  }): Promise<'approved' | 'denied' | 'timed_out'>;
  /** Stops the whole command (anomaly response). */
  pause(error: RalexError): void;
  /** Denials in one command before it is paused (default 5). */
  maxDenials?: number;
  /** When set, only these tools may run (a question or review only reads). */
  allowedTools?: ReadonlySet<string>;
  /**
   * Whether shell commands run in Ralex's sandbox (default: whether bubblewrap works on this
   * machine); when not, each one asks, with `unsandboxedReason`.
   */
  sandboxed?: () => Promise<boolean>;
  unsandboxedReason?: string;
}

/** The gate's verdict on one call: go ahead (with the decision that let it), or the error for the model. */
export type GateVerdict =
  | { allowed: true; decision: PolicyDecision }
  | { allowed: false; decision: PolicyDecision; output: ToolOutput };

/** Every agent tool call, before it runs: decided by the policy, asked when the policy asks. */
export interface ToolGate {
  check(tool: string, args: unknown): Promise<GateVerdict>;
}

/**
 * Creates the gate one command's tool calls pass through. `ask` becomes an approval; a burst
 * of denials pauses the command rather than letting a model probe the policy.
 */
export function createToolGate(deps: ToolGateDeps): ToolGate {
  const maxDenials = deps.maxDenials ?? 5;
  const sandboxed = deps.sandboxed ?? (async () => (await detectSandbox()).available);
  let denials = 0;
  // The bash parser is needed by run_command alone: it loads while the model thinks, and only a
  // shell command waits for it (an edit does not wait ~80 ms for a grammar it never uses).
  // A failure to load shows where run_command awaits it.
  if (!deps.allowedTools || deps.allowedTools.has('run_command'))
    void deps.policy.ready().catch(() => undefined);
  const refused = (decision: PolicyDecision, text: string): GateVerdict => {
    denials++;
    if (denials >= maxDenials) {
      deps.pause(
        new RalexError(
          'policy_denied',
          `Paused: the agent tried ${denials} actions the policy refuses in one command.`,
          {
            details: { lastRule: decision.rule },
            hint: 'Look at the timeline to see what it tried; rephrase the request or adjust .ralex/config/security_rules.yaml.',
          },
        ),
      );
    }
    return { allowed: false, decision, output: { ok: false, text } };
  };
  return {
    async check(tool, args) {
      if (deps.allowedTools && !deps.allowedTools.has(tool)) {
        const decision = {
          decision: 'deny' as const,
          rule: 'hard:read-only-request',
          reason: `This request only reads the project; ${tool} is not available for it.`,
        };
        return refused(decision, `${decision.reason} Answer from what you can read.`);
      }
      if (tool === 'run_command') await deps.policy.ready();
      let decision = deps.policy.checkTool(tool, args);
      if (tool === 'run_command' && decision.decision === 'allow' && !(await sandboxed())) {
        // Without the sandbox nothing keeps a command off .git, .ralex, the home or the network.
        decision = {
          ...decision,
          decision: 'ask',
          rule: 'hard:no-sandbox',
          reason:
            deps.unsandboxedReason ??
            'This machine has no working sandbox (bubblewrap), so the command would run with your full access.',
        };
      }
      if (decision.decision === 'allow') return { allowed: true, decision };
      if (decision.decision === 'deny') {
        return refused(
          decision,
          `Refused by Ralex's policy (${decision.rule}): ${decision.reason} Do not retry this; find another way or explain what you need.`,
        );
      }
      const detail = describeCall(tool, args);
      const answer = await deps.ask({ action: tool, detail, reason: decision.reason });
      if (answer === 'approved') return { allowed: true, decision };
      return refused(
        decision,
        `The user did not approve ${detail} (${answer === 'timed_out' ? 'no answer in time' : 'denied'}). Do not retry it; continue without it or explain why it is needed.`,
      );
    },
  };
}

/** What exactly will run or be touched, for the approval card. */
export function describeCall(tool: string, args: unknown): string {
  const a = (args ?? {}) as Record<string, unknown>;
  if (tool === 'run_command') return `run \`${String(a.command)}\``;
  if (typeof a.path === 'string') return `${tool.replace('_', ' ')} ${a.path}`;
  return `${tool} ${JSON.stringify(args).slice(0, 200)}`;
}
