import { z } from 'zod';
import { stripAnsi } from '../../util/strip-ansi.js';
import { defineTool } from './agent-tool.js';

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_TIMEOUT_MS = 600_000;
const MAX_OUTPUT_CHARS = 12_000;

/**
 * `run_command {command, timeout_ms?}`: a shell command in the project root, in the sandbox
 * when bubblewrap works (project writable, network off unless approved), killed whole on
 * timeout. The exit code and the output (ANSI codes stripped; head and tail) go back to the model.
 */
export const runCommandTool = defineTool({
  name: 'run_command',
  writes: true,
  description:
    'Run a shell command (bash) in the project root, e.g. tests, a build, git status. Network access is off. ' +
    'git can read (status, diff, log, show) but not write: .git is read-only here, and Ralex commits your change itself once the tests pass. ' +
    `Default time limit ${DEFAULT_TIMEOUT_MS / 1000} s (timeout_ms to change, at most ${MAX_TIMEOUT_MS / 1000} s).`,
  parameters: z.object({
    command: z.string().min(1).describe('The shell command'),
    timeout_ms: z
      .number()
      .int()
      .min(1000)
      .max(MAX_TIMEOUT_MS)
      .optional()
      .describe('Time limit in milliseconds'),
  }),
  async execute({ command, timeout_ms }, ctx) {
    const result = await ctx.runShell(command, {
      timeoutMs: timeout_ms ?? DEFAULT_TIMEOUT_MS,
      network: false,
    });
    const plain = stripAnsi(result.output);
    const output =
      plain.length > MAX_OUTPUT_CHARS
        ? `${plain.slice(0, MAX_OUTPUT_CHARS / 2)}\n… (output cut) …\n${plain.slice(-MAX_OUTPUT_CHARS / 2)}`
        : plain;
    const status = result.timedOut
      ? `timed out after ${Math.round((timeout_ms ?? DEFAULT_TIMEOUT_MS) / 1000)} s and was stopped`
      : result.cancelled
        ? 'was cancelled'
        : `exited with code ${result.exitCode ?? `signal ${result.signal}`}`;
    return { ok: result.exitCode === 0, text: `$ ${command}\n(${status})\n${output}`.trimEnd() };
  },
});
