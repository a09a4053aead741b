import { join } from 'node:path';
import { RalexError } from '../../errors.js';
import { GitCommandError, gitExec } from './git-exec.js';

/** A repository located once: its working-tree root, its git dir and the user's index file. */
export interface RepoPaths {
  /** Top level of the working tree; every checkpoint covers all of it. */
  root: string;
  /** The (per-worktree) git directory. */
  gitDir: string;
  /** The user's index file. */
  indexFile: string;
}

/** Finds the repository containing `dir`; throws `not_a_git_repository` outside one or in a bare one. */
export async function openRepo(dir: string): Promise<RepoPaths> {
  let out: string;
  try {
    out = await gitExec(dir, ['rev-parse', '--absolute-git-dir', '--show-toplevel']);
  } catch (error) {
    const stderr = error instanceof GitCommandError ? error.stderr.trim() : String(error);
    throw new RalexError('not_a_git_repository', `${dir} is not inside a git working tree.`, {
      details: { dir, stderr },
      hint: 'Run `git init` in the project, or start Ralex inside a git repository.',
      cause: error,
    });
  }
  const [gitDir, root] = out.split('\n');
  if (!gitDir || !root) {
    throw new RalexError('not_a_git_repository', `${dir} has no working tree (bare repository?).`, {
      details: { dir },
    });
  }
  return { root, gitDir, indexFile: join(gitDir, 'index') };
}

/** HEAD's commit, or null when the repository has no commits yet (detached HEAD is fine). */
export async function readHead(repo: RepoPaths): Promise<string | null> {
  try {
    return (await gitExec(repo.root, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'])).trim();
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return null;
    throw error;
  }
}
