import type { CommandRun } from '../pipeline/command-run.js';
import { detectSandbox } from '../policy/sandbox/detect-sandbox.js';
import { runProcess } from '../policy/sandbox/run-process.js';
import type { Runtime } from '../runtime.js';
import type { ToolContext } from './tools/agent-tool.js';

/**
 * The context the agent's tools get for one command: paths resolved by the policy, commands
 * run in the bubblewrap sandbox when the machine has it (project writable, the rest read-only,
 * network off unless approved), killed whole on timeout or cancel.
 */
export function agentToolContext(run: CommandRun, rt: Runtime): ToolContext {
  return {
    root: rt.root,
    signal: run.signal,
    checkPath: (path, options) => rt.policy.checkPath(path, options),
    listFiles: () => rt.files.list(),
    runShell: async (command, { timeoutMs, network }) =>
      runProcess({
        command,
        cwd: rt.root,
        timeoutMs,
        signal: run.signal,
        sandbox: (await detectSandbox()).available ? { projectDir: rt.root, allowNetwork: network } : null,
      }),
    fileChanged: () => rt.files.invalidate(),
  };
}
