import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RalexError } from '../../errors.js';
import { openRepo, type RepoPaths } from './open-repo.js';

/** A git operation in progress that a change, a commit or an undo must not run into. */
export interface GitBusyState {
  state: 'merge' | 'rebase' | 'am' | 'cherry-pick' | 'revert' | 'bisect' | 'index-lock';
  /** What is going on and what to do, in words. */
  message: string;
  hint: string;
}

/** The operation in progress in a repository, or null when git is idle. */
export function gitBusyState(repo: RepoPaths): GitBusyState | null {
  const at = (name: string) => existsSync(join(repo.gitDir, name));
  if (at('rebase-merge') || at('rebase-apply')) {
    const am = at('rebase-apply/applying');
    return am
      ? {
          state: 'am',
          message: 'A `git am` is in progress.',
          hint: 'Finish it (git am --continue) or abort it (git am --abort), then say it again.',
        }
      : {
          state: 'rebase',
          message: 'A rebase is in progress.',
          hint: 'Finish it (git rebase --continue) or abort it (git rebase --abort), then say it again.',
        };
  }
  if (at('MERGE_HEAD'))
    return {
      state: 'merge',
      message: 'A merge is in progress.',
      hint: 'Finish it (commit the merge) or abort it (git merge --abort), then say it again.',
    };
  if (at('CHERRY_PICK_HEAD'))
    return {
      state: 'cherry-pick',
      message: 'A cherry-pick is in progress.',
      hint: 'Finish it (git cherry-pick --continue) or abort it (git cherry-pick --abort), then say it again.',
    };
  if (at('REVERT_HEAD'))
    return {
      state: 'revert',
      message: 'A revert is in progress.',
      hint: 'Finish it (git revert --continue) or abort it (git revert --abort), then say it again.',
    };
  if (at('BISECT_LOG'))
    return {
      state: 'bisect',
      message: 'A bisect is in progress.',
      hint: 'End it (git bisect reset), then say it again.',
    };
  const lock = join(repo.gitDir, 'index.lock');
  if (existsSync(lock) && !isOwnRestoreLock(lock))
    return {
      state: 'index-lock',
      message: 'Another git process is using the index (.git/index.lock exists).',
      hint: 'Wait for it to finish; if no git process is running, delete .git/index.lock, then say it again.',
    };
  return null;
}

function isOwnRestoreLock(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').startsWith('ralex checkpoint restore, pid ');
  } catch {
    return false;
  }
}

/**
 * Opens the repository and refuses, with the git state named and how to get out of it, while a
 * merge, rebase, `am`, cherry-pick, revert or bisect is in progress or `index.lock` is held:
 * changing, committing or undoing then would mix Ralex's work into the user's operation.
 */
export async function requireIdleRepo(root: string, doing: string): Promise<RepoPaths> {
  const repo = await openRepo(root);
  const busy = gitBusyState(repo);
  if (busy) {
    throw new RalexError('conflict', `Ralex did not ${doing}: ${busy.message}`, {
      details: { gitState: busy.state },
      hint: busy.hint,
    });
  }
  return repo;
}
