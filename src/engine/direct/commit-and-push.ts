import { RalexError } from '../../errors.js';
import { askForCommand } from '../../policy/approvals/ask-for-command.js';
import { runProcess } from '../../policy/sandbox/run-process.js';
import { gitExec } from '../checkpoint/git-exec.js';
import type { DirectAction } from './direct-action.js';

/**
 * "commit with message <text>": commits what is staged, or — when nothing is — every change
 * in the working tree, with the given message. The user asked for it, so no approval.
 */
export const commitWithMessage: DirectAction = async (parsed, _run, rt) => {
  const message = parsed.args.message?.trim();
  if (!message) {
    return {
      status: 'needs_input',
      reply: 'What should the commit message be? Say "commit with message …".',
      spoken: 'What message?',
    };
  }
  const staged = (await gitExec(rt.root, ['diff', '--cached', '--name-only'])).trim();
  if (!staged) await gitExec(rt.root, ['add', '-A']);
  const files = (await gitExec(rt.root, ['diff', '--cached', '--name-only']))
    .trim()
    .split('\n')
    .filter(Boolean);
  if (!files.length)
    return { status: 'failed', reply: 'There is nothing to commit.', spoken: 'Nothing to commit.' };
  await gitExec(rt.root, ['commit', '-q', '-m', message]);
  const sha = (await gitExec(rt.root, ['rev-parse', 'HEAD'])).trim();
  rt.files.invalidate();
  return {
    reply: `Committed ${files.length} file${files.length === 1 ? '' : 's'} as ${sha.slice(0, 8)}: "${message}"\n${files.map((f) => `- \`${f}\``).join('\n')}`,
    spoken: `Committed ${files.length} file${files.length === 1 ? '' : 's'}.`,
    filesChanged: files,
  };
};

/** "push": pushes the current branch — always after an approval, since it leaves the machine. */
export const pushBranch: DirectAction = async (_parsed, run, rt) => {
  const branch = (await gitExec(rt.root, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  if (branch === 'HEAD')
    throw new RalexError('conflict', 'HEAD is detached; check out a branch before pushing.');
  const answer = await askForCommand(run, rt, {
    action: 'push',
    detail: `git push (branch ${branch})`,
    reason: 'Pushing sends commits to a remote.',
  });
  if (answer !== 'approved') {
    return {
      status: 'denied',
      reply: `Not pushed: the push was ${answer.replace('_', ' ')}.`,
      spoken: 'Not pushed.',
    };
  }
  const result = await runProcess({
    command: 'git push',
    cwd: rt.root,
    timeoutMs: 120_000,
    signal: run.signal,
    sandbox: null,
  });
  const ok = result.exitCode === 0;
  return {
    status: ok ? 'succeeded' : 'failed',
    reply: `${ok ? `Pushed ${branch}.` : `git push failed (exit ${result.exitCode}).`}\n\`\`\`\n${result.output.trim()}\n\`\`\``,
    spoken: ok ? `Pushed ${branch}.` : 'The push failed.',
  };
};
