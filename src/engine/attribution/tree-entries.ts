import { gitExec } from '../../git/git-exec.js';

/** One path in a git tree: its mode and object id, both null where the tree has no such path. */
export interface TreeEntry {
  path: string;
  mode: string | null;
  oid: string | null;
}

const ABSENT_MODE = '000000';
const ZERO_OID = /^0+$/;

/** Whether two entries describe the same content (both absent counts as the same). */
export function sameEntry(a: Omit<TreeEntry, 'path'>, b: Omit<TreeEntry, 'path'>): boolean {
  return a.mode === b.mode && a.oid === b.oid;
}

/** A pathspec that matches exactly this path (no globbing, no magic). */
export const literal = (path: string): string => `:(literal)${path}`;

/** A path that differs between two trees: its state in the later one, and in the earlier one. */
export interface TreeChange extends TreeEntry {
  before: { mode: string | null; oid: string | null };
}

/** The paths that differ between two trees, each with its state in `to` (deleted: nulls) and in `from`. */
export async function changedEntries(root: string, from: string, to: string): Promise<TreeChange[]> {
  if (from === to) return [];
  const raw = await gitExec(root, ['diff-tree', '-r', '-z', '--no-renames', '--raw', from, to]);
  const fields = raw.split('\0');
  const entries: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!;
    const path = fields[i + 1]!;
    if (!meta.startsWith(':')) break;
    const [srcMode, dstMode, srcOid, dstOid] = meta.slice(1).split(' ');
    const gone = dstMode === ABSENT_MODE || ZERO_OID.test(dstOid ?? '');
    const born = srcMode === ABSENT_MODE || ZERO_OID.test(srcOid ?? '');
    entries.push({
      path,
      mode: gone ? null : dstMode!,
      oid: gone ? null : dstOid!,
      before: { mode: born ? null : srcMode!, oid: born ? null : srcOid! },
    });
  }
  return entries;
}

/** The entries of `paths` in a tree; a path the tree does not hold maps to nulls. */
export async function entriesAt(
  root: string,
  tree: string,
  paths: readonly string[],
): Promise<Map<string, TreeEntry>> {
  const found = new Map<string, TreeEntry>(paths.map((path) => [path, { path, mode: null, oid: null }]));
  if (paths.length === 0) return found;
  const out = await gitExec(root, ['ls-tree', '-r', '-z', '--full-tree', tree, '--', ...paths.map(literal)]);
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const path = record.slice(tab + 1);
    const [mode, , oid] = record.slice(0, tab).split(' ');
    if (found.has(path)) found.set(path, { path, mode: mode!, oid: oid! });
  }
  return found;
}

/** Writes a tree: `base` with each of `entries` set, or removed where its mode is null. */
export async function treeWith(
  root: string,
  base: string,
  entries: readonly TreeEntry[],
  indexFile: string,
): Promise<string> {
  await gitExec(root, ['read-tree', base], { indexFile });
  if (entries.length > 0) {
    const input = entries
      .map((e) => (e.mode && e.oid ? `${e.mode} ${e.oid}\t${e.path}` : `0 ${'0'.repeat(40)}\t${e.path}`))
      .join('\0');
    await gitExec(root, ['update-index', '-z', '--index-info'], { indexFile, input: `${input}\0` });
  }
  return (await gitExec(root, ['write-tree'], { indexFile })).trim();
}
