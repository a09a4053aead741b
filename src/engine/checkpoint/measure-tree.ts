import { gitExec } from './git-exec.js';
import type { RepoPaths } from './open-repo.js';

/** Sizes of a checkpoint tree. */
export interface TreeSize {
  fileCount: number;
  treeBytes: number;
  addedBytes: number;
}

/** Every file of a tree with its size, and their sum. */
export interface TreeListing {
  sizes: Map<string, number>;
  bytes: number;
}

/**
 * Lists a tree's files with sizes. Reading every object's size is the slow part (~60 ms for
 * 5,000 loose objects), so `createCheckpoint` starts this for HEAD while it stages the tree.
 */
export async function listTreeSizes(repo: RepoPaths, treeish: string): Promise<TreeListing> {
  const out = await gitExec(repo.root, ['ls-tree', '-r', '-l', '-z', '--full-tree', treeish]);
  const sizes = new Map<string, number>();
  let bytes = 0;
  for (const entry of out.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const size = Number(entry.slice(0, tab).split(/ +/)[3]);
    const value = Number.isFinite(size) ? size : 0; // submodules have "-"
    sizes.set(entry.slice(tab + 1), value);
    bytes += value;
  }
  return { sizes, bytes };
}

/**
 * Counts the files of `tree` and their bytes, and the bytes of files whose content differs from
 * HEAD (all of them without a HEAD): what the checkpoint keeps alive that history does not hold.
 * With a HEAD listing, only the files that differ from HEAD have their sizes read.
 */
export async function measureTree(
  repo: RepoPaths,
  tree: string,
  head: string | null,
  headListing: Promise<TreeListing> | null,
): Promise<TreeSize> {
  if (!head || !headListing) {
    const own = await listTreeSizes(repo, tree);
    return { fileCount: own.sizes.size, treeBytes: own.bytes, addedBytes: own.bytes };
  }
  const raw = (await gitExec(repo.root, ['diff-tree', '-r', '-z', '--no-renames', head, tree])).split('\0');
  const changes: { path: string; status: string; oid: string | null }[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [, newMode, , newOid, status] = raw[i]!.split(' ');
    changes.push({
      path: raw[i + 1]!,
      status: status ?? 'M',
      oid: newMode === '160000' ? null : (newOid ?? null),
    });
  }
  const wanted = changes.filter((c) => c.status !== 'D' && c.oid).map((c) => c.oid!);
  const [base, newSizes] = await Promise.all([headListing, objectSizes(repo, wanted)]);
  let fileCount = base.sizes.size;
  let treeBytes = base.bytes;
  let addedBytes = 0;
  for (const change of changes) {
    const before = base.sizes.get(change.path) ?? 0;
    const after = change.oid ? (newSizes.get(change.oid) ?? 0) : 0;
    if (change.status === 'D') {
      fileCount -= 1;
      treeBytes -= before;
    } else {
      if (change.status === 'A') fileCount += 1;
      treeBytes += after - (change.status === 'A' ? 0 : before);
      addedBytes += after;
    }
  }
  return { fileCount, treeBytes, addedBytes };
}

async function objectSizes(repo: RepoPaths, oids: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (oids.length === 0) return sizes;
  const out = await gitExec(repo.root, ['cat-file', '--batch-check=%(objectname) %(objectsize)'], {
    input: `${oids.join('\n')}\n`,
  });
  for (const line of out.split('\n')) {
    const [oid, size] = line.split(' ');
    if (oid && size && /^\d+$/.test(size)) sizes.set(oid, Number(size));
  }
  return sizes;
}
