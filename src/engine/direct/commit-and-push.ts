import { RalexError } from '../../errors.js';
import { gitExec, HOST_GIT_CONFIG } from '../../git/git-exec.js';
import { askForCommand } from '../../policy/approvals/ask-for-command.js';
import { runProcess } from '../../policy/sandbox/run-process.js';
import { withChangeLock } from '../change-lock.js';
import { requireIdleRepo } from '../checkpoint/git-state.js';
import { openRepo } from '../checkpoint/open-repo.js';
import { EXCLUDED_PATHSPECS, nestedRepoExcludes } from '../checkpoint/scratch-index.js';
import type { DirectAction, DirectOutcome } from './direct-action.js';

/**
 * "commit with message <text>": commits what is staged, or — when nothing is — every change
 * in the working tree but Ralex's own bookkeeping (the same files "what changed" lists), with
 * the given message. The user asked for it, so no approval; not while a change is being made
 * or git is mid-merge/rebase. Hooks do not run: a hook folder in the project is something the
 * agent can write, and Ralex's git never runs code from the project on the host.
 */
export const commitWithMessage: DirectAction = (parsed, run, rt) =>
  withChangeLock(run, rt, { wait: false }, async () => {
    await requireIdleRepo(rt.root, 'commit');
    return commitNow(parsed, rt);
  });

const commitNow = async (
  parsed: Parameters<DirectAction>[0],
  rt: Parameters<DirectAction>[2],
): Promise<DirectOutcome> => {
  const message = parsed.args.message?.trim();
  if (!message) {
    return {
      status: 'needs_input',
      reply: 'What should the commit message be? Say "commit with message …".',
      spoken: 'What message?',
    };
  }
  const staged = (await gitExec(rt.root, ['diff', '--cached', '--name-only'])).trim();
  if (!staged) {
    const nested = await nestedRepoExcludes(await openRepo(rt.root));
    await gitExec(rt.root, ['add', '-A', '--', '.', ...EXCLUDED_PATHSPECS, ...nested]);
  }
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
    // The user's own push (their credentials and ssh agent), with no hook or fsmonitor of the project run.
    command: `git ${HOST_GIT_CONFIG.map((arg) => `'${arg}'`).join(' ')} push`,
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
