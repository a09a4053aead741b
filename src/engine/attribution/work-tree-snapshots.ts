import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { GitCommandError, gitExec } from '../../git/git-exec.js';
import { openRepo, type RepoPaths } from '../checkpoint/open-repo.js';
import {
  nestedRepoExcludes,
  type OpenScratchIndex,
  openScratchIndex,
  stageWorkTree,
} from '../checkpoint/scratch-index.js';
import { literal, type TreeEntry } from './tree-entries.js';

/**
 * The work tree as git trees, as often as needed during one change: a private index that lives
 * for the whole run, so each snapshot only re-hashes files whose stat data changed. Ralex's
 * bookkeeping is left out, as in checkpoints; the user's index is never touched.
 */
export interface WorkTreeSnapshots {
  repo: RepoPaths;
  /** The private index file (a snapshot leaves it describing the work tree). */
  indexFile: string;
  /** The whole work tree now, as a tree id. */
  snapshot(): Promise<string>;
  /** The current state of some paths (absent ones as nulls), re-read from disk. */
  entriesOf(paths: readonly string[]): Promise<TreeEntry[]>;
  close(): Promise<void>;
}

/** Opens the snapshots of one repository's work tree. */
export async function openWorkTreeSnapshots(root: string): Promise<WorkTreeSnapshots> {
  const repo = await openRepo(root);
  const scratch: OpenScratchIndex = await openScratchIndex(repo);
  const indexFile = scratch.file;
  return {
    repo,
    indexFile,
    async snapshot() {
      await stageWorkTree(repo, scratch);
      return (await gitExec(repo.root, ['write-tree'], { indexFile })).trim();
    },
    async entriesOf(paths) {
      const present = paths.filter((path) => exists(join(repo.root, path)));
      const found = new Map<string, TreeEntry>();
      if (present.length > 0) {
        const specs = present.map(literal);
        // Exit 1: some paths are ignored; they are out of checkpoints too, so they read as absent.
        // A path inside a nested repository is not ours to look into either (see nestedRepoExcludes).
        const nested = await nestedRepoExcludes(repo, indexFile);
        await gitExec(repo.root, ['add', '-A', '--', ...specs, ...nested], {
          indexFile,
          allowExitCodes: [1],
        }).catch((error) => {
          if (!(error instanceof GitCommandError && /is in submodule/.test(error.stderr))) throw error;
        });
        const out = await gitExec(repo.root, ['ls-files', '-s', '-z', '--', ...specs], { indexFile });
        for (const record of out.split('\0')) {
          const tab = record.indexOf('\t');
          if (tab < 0) continue;
          const [mode, oid] = record.slice(0, tab).split(' ');
          const path = record.slice(tab + 1);
          found.set(path, { path, mode: mode!, oid: oid! });
        }
      }
      return paths.map((path) => found.get(path) ?? { path, mode: null, oid: null });
    },
    close: () => scratch.dispose(),
  };
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
