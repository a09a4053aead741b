import type { CommandRun } from '../command/command-run.js';
import { runProcess } from '../policy/sandbox/run-process.js';
import type { Runtime } from '../runtime.js';
import type { AgentWrites } from './attribution/write-ledger.js';
import { projectSandbox } from './project-sandbox.js';
import type { ToolContext } from './tools/agent-tool.js';

/**
 * The context the agent's tools get for one command: paths resolved by the policy, commands
 * run in the bubblewrap sandbox (project writable but for `.git` and `.ralex`, home and
 * environment allow-listed, network off unless approved), killed whole on timeout or cancel.
 * With a change's write ledger, every tool write and every command's effect on the work tree
 * is recorded as the agent's, so the rest can be told apart as the user's.
 */
export function agentToolContext(run: CommandRun, rt: Runtime, ledger?: AgentWrites): ToolContext {
  const shell = (command: string, timeoutMs: number, network: boolean) =>
    runProcess({
      command,
      cwd: rt.root,
      timeoutMs,
      signal: run.signal,
      sandbox: projectSandbox(rt, { network }),
    });
  return {
    root: rt.root,
    signal: run.signal,
    checkPath: (path, options) => rt.policy.checkPath(path, options),
    listFiles: () => rt.files.list(),
    whenWritable: async () => ledger?.ready(),
    runShell: (command, { timeoutMs, network }) =>
      ledger
        ? ledger.around('command', () => shell(command, timeoutMs, network))
        : shell(command, timeoutMs, network),
    async willWrite(path, content) {
      await ledger?.recordIntent(path, content);
    },
    async fileChanged(path) {
      rt.files.invalidate();
      await ledger?.recordToolWrites([path]);
    },
  };
}
