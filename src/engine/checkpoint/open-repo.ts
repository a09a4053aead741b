import { join } from 'node:path';
import { RalexError } from '../../errors.js';
import { GitCommandError, gitExec } from '../../git/git-exec.js';

/** A repository located once: its working-tree root, git dir, the user's index file and HEAD. */
export interface RepoPaths {
  /** Top level of the working tree; every checkpoint covers all of it. */
  root: string;
  /** The (per-worktree) git directory. */
  gitDir: string;
  /** The user's index file. */
  indexFile: string;
  /** HEAD's commit, or null in a repository with no commits yet (a detached HEAD is fine). */
  head: string | null;
}

/** Finds the repository containing `dir` (one git call); throws `not_a_git_repository` outside one or in a bare one. */
export async function openRepo(dir: string): Promise<RepoPaths> {
  let out: string;
  try {
    // `-q --verify` exits 1 (printing the other answers) when HEAD has no commit yet.
    const args = ['rev-parse', '--absolute-git-dir', '--show-toplevel', '-q', '--verify', 'HEAD^{commit}'];
    out = await gitExec(dir, args, { allowExitCodes: [1] });
  } catch (error) {
    const stderr = error instanceof GitCommandError ? error.stderr.trim() : String(error);
    throw new RalexError('not_a_git_repository', `${dir} is not inside a git working tree.`, {
      details: { dir, stderr },
      hint: 'Run `git init` in the project, or start Ralex inside a git repository.',
      cause: error,
    });
  }
  const [gitDir, root, head] = out.split('\n');
  if (!gitDir || !root) {
    throw new RalexError('not_a_git_repository', `${dir} has no working tree (bare repository?).`, {
      details: { dir },
    });
  }
  return { root, gitDir, indexFile: join(gitDir, 'index'), head: head || null };
}
