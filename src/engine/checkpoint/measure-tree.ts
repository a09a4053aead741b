import { gitExec } from './git-exec.js';
import type { RepoPaths } from './open-repo.js';

/** Sizes of a checkpoint tree. */
export interface TreeSize {
  fileCount: number;
  treeBytes: number;
  addedBytes: number;
}

/**
 * Counts the files of `tree` and their bytes, and the bytes of files whose content differs
 * from `head`'s tree (all of them without a HEAD): what the checkpoint keeps alive that the
 * project's history does not already hold.
 */
export async function measureTree(repo: RepoPaths, tree: string, head: string | null): Promise<TreeSize> {
  const [listing, changed] = await Promise.all([
    gitExec(repo.root, ['ls-tree', '-r', '-l', '-z', '--full-tree', tree]),
    head ? gitExec(repo.root, ['diff-tree', '-r', '-z', '--no-renames', '--name-only', head, tree]) : null,
  ]);
  const sizes = new Map<string, number>();
  let treeBytes = 0;
  for (const entry of listing.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const size = Number(entry.slice(0, tab).split(/ +/)[3]);
    const bytes = Number.isFinite(size) ? size : 0; // submodules have "-"
    sizes.set(entry.slice(tab + 1), bytes);
    treeBytes += bytes;
  }
  let addedBytes = treeBytes;
  if (changed !== null) {
    addedBytes = 0;
    for (const path of changed.split('\0')) addedBytes += sizes.get(path) ?? 0;
  }
  return { fileCount: sizes.size, treeBytes, addedBytes };
}
