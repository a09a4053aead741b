import { gitExec } from '../../git/git-exec.js';
import type { ChangeWrite } from '../../store/changes.js';
import type { FileChange } from '../checkpoint/checkpoint.js';
import { ignoredAtCheckpoint } from '../checkpoint/ignored-at-checkpoint.js';
import { attributeChanges, withTempIndex } from './attribute-changes.js';
import { changedEntries, treeWith } from './tree-entries.js';
import type { WorkTreeSnapshots } from './work-tree-snapshots.js';

/** A file a rollback left as it is, and why. */
export interface KeptFile {
  path: string;
  reason: 'edited after the agent' | 'changed during an interrupted command' | 'ignored at the checkpoint';
}

/** What a rollback did. */
export interface RollbackReport {
  /** Put back as they were at the checkpoint. */
  restored: string[];
  /** Left as they are (the checkpoint keeps the earlier version). */
  kept: KeptFile[];
  /** Changed since the checkpoint by someone else; never touched. */
  untouched: string[];
}

/**
 * Rolls a change back without touching anyone else's work: each path the agent wrote that is
 * still exactly as the agent left it goes back to the checkpoint's version (removed if it did
 * not exist then). A path someone edited after the agent wrote it is kept, named, and its
 * earlier version stays in the checkpoint; paths the agent never wrote are not touched; nor is a
 * file the checkpoint's ignore rules ignore. With `pendingTree` (the work tree when an interrupted
 * shell command started), what changed since then and is not on record is kept and named too.
 * The user's index is left alone (nothing in the sandbox can write it).
 */
export async function rollBackAgentWrites(deps: {
  snapshots: WorkTreeSnapshots;
  checkpointTree: string;
  writes: readonly ChangeWrite[];
  pendingTree?: string | null;
}): Promise<RollbackReport> {
  const { snapshots } = deps;
  const root = snapshots.repo.root;
  const current = await snapshots.snapshot();
  const who = await attributeChanges(root, {
    checkpointTree: deps.checkpointTree,
    current,
    writes: deps.writes,
  });
  const kept: KeptFile[] = who.editedAfterAgent.map((path) => ({ path, reason: 'edited after the agent' }));
  if (deps.pendingTree) {
    const written = new Set(deps.writes.map((w) => w.path));
    for (const e of await changedEntries(root, deps.pendingTree, current)) {
      if (!written.has(e.path)) kept.push({ path: e.path, reason: 'changed during an interrupted command' });
    }
  }

  // Each path goes back to how it was just before the agent first wrote it (the checkpoint's
  // version, or the user's own edit made in between).
  const written = new Map(deps.writes.map((w) => [w.path, w]));
  const before = new Map(
    who.agentFiles.map((path) => {
      const w = written.get(path)!;
      return [path, { path, mode: w.baseMode, oid: w.baseOid }];
    }),
  );
  const changes: FileChange[] = who.agentFiles.map((path) => ({
    path,
    status: before.get(path)?.mode ? 'modified' : 'added',
  }));
  const ignored = new Set(await ignoredAtCheckpoint(snapshots.repo, deps.checkpointTree, changes));
  for (const path of ignored) kept.push({ path, reason: 'ignored at the checkpoint' });
  const restored = who.agentFiles.filter((path) => !ignored.has(path));
  if (restored.length > 0) {
    const target = await withTempIndex(snapshots.indexFile, 'rollback', (file) =>
      treeWith(
        root,
        current,
        restored.map((path) => before.get(path)!),
        file,
      ),
    );
    // The snapshot index describes the work tree exactly, so only the differing paths are written.
    await gitExec(root, ['read-tree', '--reset', '-u', target], { indexFile: snapshots.indexFile });
  }
  const keptPaths = new Set(kept.map((k) => k.path));
  return { restored, kept, untouched: who.othersFiles.filter((p) => !keptPaths.has(p)) };
}
