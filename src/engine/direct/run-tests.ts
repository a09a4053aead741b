import { detectTestCheck } from '../checks/detect-checks.js';
import { runCheck } from '../checks/run-check.js';
import { projectSandbox } from '../project-sandbox.js';
import type { DirectAction } from './direct-action.js';

/** "run the tests": the project's test command, detected or configured, with a time limit. */
export const runTests: DirectAction = async (_parsed, run, rt) => {
  const check = detectTestCheck(rt.root, rt.config.preferences.checks.test_command);
  if (!check) {
    return {
      status: 'failed',
      reply:
        'I could not find how this project runs its tests (no package.json test script, pytest, go.mod, Cargo.toml or Makefile test target). ' +
        'Set checks.test_command in .ralex/config/preferences.yaml.',
      spoken: 'I could not find how to run the tests here.',
    };
  }
  const timeoutMs = rt.config.preferences.checks.timeout_ms;
  const network = rt.config.preferences.checks.network === 'on';
  const outcome = await runCheck(check, {
    root: rt.root,
    timeoutMs,
    signal: run.signal,
    emit: run.emit,
    network,
    sandbox: projectSandbox(rt, { network }),
  });
  const verdict = outcome.timedOut
    ? `timed out after ${Math.round(timeoutMs / 1000)} s`
    : outcome.ok
      ? 'passed'
      : `failed (exit code ${outcome.exitCode ?? 'none'})`;
  return {
    // Failing tests make the command fail, as `npm test` would: a workflow stops, `ralex run` exits 1.
    status: outcome.ok ? 'succeeded' : 'failed',
    reply: `Tests ${verdict} — \`${check.command}\` (${check.source}), ${(outcome.durationMs / 1000).toFixed(1)} s.\n\`\`\`\n${outcome.output.trimEnd()}\n\`\`\``,
    spoken: `The tests ${verdict.replace(/ \(exit code .*\)/, '')}.`,
    checks: [outcome],
  };
};
