import { gitExec } from '../../git/git-exec.js';
import type { Checkpoint } from './checkpoint.js';
import type { RepoPaths } from './open-repo.js';

/** Sizes of a checkpoint tree. */
export interface TreeSize {
  fileCount: number;
  treeBytes: number;
  addedBytes: number;
}

interface RawChange {
  path: string;
  status: string;
  oldOid: string | null;
  newOid: string | null;
}

/**
 * Counts the files of `tree` and their bytes, and the bytes of files whose content differs from
 * `head` (all of them without a HEAD): what the checkpoint keeps alive that history does not hold.
 *
 * Reading every object's size costs ~60–150 ms on 5,000 loose objects, so only the first
 * checkpoint of a repository lists the whole tree; later ones start from the previous
 * checkpoint's recorded totals and read the sizes of the files that differ from it.
 */
export async function measureTree(
  repo: RepoPaths,
  tree: string,
  head: string | null,
  previous: Checkpoint | null,
): Promise<TreeSize> {
  const [fromHead, fromPrevious] = await Promise.all([
    head ? diffTrees(repo, head, tree) : null,
    previous ? diffTrees(repo, previous.tree, tree).catch(() => null) : null, // pruned meanwhile
  ]);
  const listing = fromPrevious ? null : await listTreeSizes(repo, tree);
  const wanted = new Set<string>();
  for (const c of fromHead ?? []) if (c.newOid) wanted.add(c.newOid);
  for (const c of fromPrevious ?? []) for (const oid of [c.oldOid, c.newOid]) if (oid) wanted.add(oid);
  const sizes = listing ? new Map<string, number>() : await objectSizes(repo, [...wanted]);
  const sizeOf = (oid: string | null, path: string) =>
    listing ? (listing.sizes.get(path) ?? 0) : oid ? (sizes.get(oid) ?? 0) : 0;

  let fileCount = listing ? listing.sizes.size : previous!.fileCount;
  let treeBytes = listing ? listing.bytes : previous!.treeBytes;
  for (const c of fromPrevious ?? []) {
    if (c.status === 'A') fileCount += 1;
    if (c.status === 'D') fileCount -= 1;
    treeBytes += (c.newOid ? (sizes.get(c.newOid) ?? 0) : 0) - (c.oldOid ? (sizes.get(c.oldOid) ?? 0) : 0);
  }
  let addedBytes = treeBytes;
  if (fromHead) {
    addedBytes = 0;
    for (const c of fromHead) if (c.status !== 'D') addedBytes += sizeOf(c.newOid, c.path);
  }
  return { fileCount, treeBytes, addedBytes };
}

/** Every file of a tree with its size, and their sum. */
async function listTreeSizes(
  repo: RepoPaths,
  tree: string,
): Promise<{ sizes: Map<string, number>; bytes: number }> {
  const out = await gitExec(repo.root, ['ls-tree', '-r', '-l', '-z', '--full-tree', tree]);
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

/** `diff-tree -r` raw records; submodule commits get no oid (they have no size here). */
async function diffTrees(repo: RepoPaths, from: string, to: string): Promise<RawChange[]> {
  const raw = (await gitExec(repo.root, ['diff-tree', '-r', '-z', '--no-renames', from, to])).split('\0');
  const changes: RawChange[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [oldMode, newMode, oldOid, newOid, status] = raw[i]!.replace(/^:/, '').split(' ');
    const blob = (mode: string | undefined, oid: string | undefined) =>
      mode && mode !== '000000' && mode !== '160000' && oid ? oid : null;
    changes.push({
      path: raw[i + 1]!,
      status: status ?? 'M',
      oldOid: blob(oldMode, oldOid),
      newOid: blob(newMode, newOid),
    });
  }
  return changes;
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
