import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RalexError } from '../errors.js';
import { gitExec } from '../git/git-exec.js';

/** A project Ralex works on: an absolute root that is (or is not yet) a git work tree. */
export interface ProjectInfo {
  root: string;
  isGitRepo: boolean;
  /** Git's per-repository exclude file (absolute), asked in the same git process as the root. */
  excludeFile?: string;
}

/** Resolves `dir` to the top of its git work tree; says clearly when it is missing or not a repository. */
export async function findProject(dir: string): Promise<ProjectInfo> {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new RalexError('not_found', `The project directory ${abs} does not exist.`, {
      hint: 'Pass an existing directory with --project DIR.',
    });
  }
  // One process for both answers: every start needs the exclude file too (protectRalexState).
  const out = await gitExec(abs, ['rev-parse', '--show-toplevel', '--git-path', 'info/exclude']).catch(
    () => null,
  );
  if (!out) return { root: abs, isGitRepo: false };
  const [top = '', exclude = ''] = out.split('\n');
  // --git-path answers relative to the directory git ran in (abs), not to the top.
  return { root: top, isGitRepo: true, ...(exclude ? { excludeFile: resolve(abs, exclude) } : {}) };
}

/** Like findProject, but a directory that is not a git repository is an error with the fix. */
export async function requireGitProject(dir: string): Promise<ProjectInfo> {
  const info = await findProject(dir);
  if (!info.isGitRepo) {
    throw new RalexError('not_a_git_repository', `${info.root} is not a git repository.`, {
      hint: `Ralex keeps checkpoints and commits in git. Run \`ralex init --project ${info.root}\` to set one up (git init + .ralex config), or pass --project with a repository.`,
    });
  }
  return info;
}
