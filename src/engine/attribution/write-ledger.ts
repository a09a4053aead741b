import { gitExec } from '../../git/git-exec.js';
import type { ChangeStore, ChangeWrite } from '../../store/changes.js';
import type { Clock } from '../../util/ids.js';
import { type Attribution, attributeChanges, withTempIndex } from './attribute-changes.js';
import { type RollbackReport, rollBackAgentWrites } from './roll-back-writes.js';
import { changedEntries, entriesAt, sameEntry, type TreeEntry, treeWith } from './tree-entries.js';
import { openWorkTreeSnapshots, type WorkTreeSnapshots } from './work-tree-snapshots.js';

/**
 * What one change's agent wrote, path by path, kept as it happens (and in the store, for crash
 * recovery): a tool's write is recorded before it writes (what it will write) and after; a shell
 * command of the agent's is bracketed by two snapshots of the work tree and whatever differs is
 * recorded as its doing (a user edit in that short window is the one thing taken for the
 * agent's). Everything else that changes while the command runs is the user's, so a rollback
 * never reverts it and a commit never carries it.
 */
export interface WriteLedger {
  /** Records what an agent tool is about to write to a path (null: delete it), before it writes. */
  recordIntent(path: string, content: string | null): Promise<void>;
  /** Records the current state of paths an agent tool just wrote (or deleted). */
  recordToolWrites(paths: readonly string[]): Promise<void>;
  /** Runs a shell command of the agent's, recording what it changed. */
  around<T>(source: 'command', work: () => Promise<T>): Promise<T>;
  /** The recorded writes, by path. */
  writes(): ChangeWrite[];
  /** Compares the work tree with the checkpoint and the record. */
  attribute(): Promise<Attribution>;
  /** The whole work tree now, as a tree id (nothing recorded). */
  workTree(): Promise<string>;
  /** The checkpoint's tree with the agent's writes applied: what gets committed. */
  agentTree(): Promise<string>;
  /**
   * The checkpoint's tree with each written path as it was just before the agent first wrote it:
   * the change is the step from this tree to `agentTree()`, so a user's edit made before the
   * agent touched the file is neither committed nor undone as the agent's.
   */
  baseTree(): Promise<string>;
  /** Puts back what the agent wrote and nothing else (see `rollBackAgentWrites`). */
  rollBack(): Promise<RollbackReport>;
  close(): Promise<void>;
}

/** The agent's side of a change's ledger, as its tools and engines write through it. */
export type AgentWrites = Pick<WriteLedger, 'recordIntent' | 'recordToolWrites' | 'around'> & {
  /** Resolves when the agent may write (a change begun early: the checkpoint taken and the baseline done). */
  ready(): Promise<void>;
};

type Base = Pick<TreeEntry, 'mode' | 'oid'>;
const toBase = (entry: Base) => ({ baseMode: entry.mode, baseOid: entry.oid });

/** Opens the ledger of one change, recording into `changes` as it goes. */
export async function openWriteLedger(deps: {
  root: string;
  changeId: string;
  checkpointTree: string;
  changes: ChangeStore;
  clock: Clock;
}): Promise<WriteLedger> {
  const snapshots: WorkTreeSnapshots = await openWorkTreeSnapshots(deps.root);
  const root = snapshots.repo.root;
  const recorded = new Map<string, ChangeWrite>();
  // Tool calls of one model step may run at once; the snapshots share one index, so one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  // Reading the record into a tree of its own (a temp index each) waits for the writes in flight only.
  const afterWrites = <T>(work: () => Promise<T>): Promise<T> => queue.then(work, work);
  const now = () => deps.clock().toISOString();
  /** Records new states; `before` gives a path's state just before this write (its base, the first time). */
  const record = (
    entries: readonly TreeEntry[],
    source: ChangeWrite['source'],
    before: (path: string) => Base,
  ) => {
    const writes: ChangeWrite[] = entries.map((e) => {
      const base = recorded.get(e.path) ?? toBase(before(e.path));
      return {
        path: e.path,
        mode: e.mode,
        oid: e.oid,
        source,
        baseMode: base.baseMode,
        baseOid: base.baseOid,
      };
    });
    for (const w of writes) recorded.set(w.path, w);
    if (writes.length) deps.changes.recordWrites(deps.changeId, writes, now());
  };

  return {
    recordIntent: (path, content) =>
      serial(async () => {
        // What is there now and what will be: two git processes side by side.
        const [[existing], oid] = await Promise.all([
          snapshots.entriesOf([path]),
          content === null
            ? null
            : gitExec(root, ['hash-object', '-w', '--stdin', `--path=${path}`], { input: content }).then(
                (out) => out.trim(),
              ),
        ]);
        const base = () => existing!;
        if (oid === null) return record([{ path, mode: null, oid: null }], 'tool', base);
        record([{ path, mode: existing?.mode ?? '100644', oid }], 'tool', base);
      }),
    recordToolWrites: (paths) =>
      serial(async () => {
        const now = await snapshots.entriesOf(paths);
        // Reached without an intent (a tool that forgot to say): the checkpoint's state is the best base known.
        const fallback = await entriesAt(
          root,
          deps.checkpointTree,
          paths.filter((p) => !recorded.has(p)),
        );
        record(now, 'tool', (path) => fallback.get(path)!);
      }),
    async around(source, work) {
      const before = await serial(() => snapshots.snapshot());
      deps.changes.update(deps.changeId, { pendingTree: before }, now());
      try {
        return await work();
      } finally {
        await serial(async () => {
          const after = await snapshots.snapshot();
          const changed = await changedEntries(root, before, after);
          const bases = new Map(changed.map((c) => [c.path, { path: c.path, ...c.before }]));
          record(changed, source, (path) => bases.get(path)!);
          deps.changes.update(deps.changeId, { pendingTree: null }, now());
        });
      }
    },
    writes: () => [...recorded.values()],
    workTree: () => serial(() => snapshots.snapshot()),
    attribute: () =>
      serial(async () => {
        const current = await snapshots.snapshot();
        return attributeChanges(root, {
          checkpointTree: deps.checkpointTree,
          current,
          writes: [...recorded.values()],
        });
      }),
    agentTree: () =>
      afterWrites(() =>
        withTempIndex(snapshots.indexFile, 'agent', (indexFile) =>
          treeWith(root, deps.checkpointTree, [...recorded.values()], indexFile),
        ),
      ),
    baseTree: () =>
      afterWrites(async () => {
        const bases = [...recorded.values()].map((w) => ({ path: w.path, mode: w.baseMode, oid: w.baseOid }));
        // Usually every file was as at the checkpoint when the agent first wrote it: that tree is the base.
        const atCheckpoint = await entriesAt(
          root,
          deps.checkpointTree,
          bases.map((b) => b.path),
        );
        if (bases.every((b) => sameEntry(b, atCheckpoint.get(b.path)!))) return deps.checkpointTree;
        return withTempIndex(snapshots.indexFile, 'base', (indexFile) =>
          treeWith(root, deps.checkpointTree, bases, indexFile),
        );
      }),
    rollBack: () =>
      serial(() =>
        rollBackAgentWrites({
          snapshots,
          checkpointTree: deps.checkpointTree,
          writes: [...recorded.values()],
        }),
      ),
    close: () => serial(() => snapshots.close()),
  };
}
