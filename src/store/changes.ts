import type { Db } from './database.js';

/**
 * Where a change is in its life: `running` while the agent works (a crash leaves it so),
 * `applied` once verified, `rolled_back` when restored, `undone`/`applied` again on undo/redo,
 * `interrupted` when found running at start-up.
 */
export type ChangeState = 'running' | 'applied' | 'rolled_back' | 'undone' | 'interrupted';

/** One change a command made to the project: the trees before and after, the files, the commit. */
export interface ChangeRecord {
  id: string;
  commandId: string;
  sessionId: string;
  checkpointId: string;
  /** The checkpoint's commit as made: a ref that no longer points at it was changed by someone else. */
  checkpointCommit: string | null;
  beforeTree: string;
  afterTree: string | null;
  files: string[];
  commitSha: string | null;
  summary: string;
  state: ChangeState;
  /** While a shell command of the agent's runs: the work tree just before it (for crash recovery). */
  pendingTree: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One path as a change's agent (or its shell commands, or its checks) last left it. */
export interface ChangeWrite {
  path: string;
  /** Git file mode (`100644`, `100755`, `120000`) and object id; both null when the path was deleted. */
  mode: string | null;
  oid: string | null;
  /** What wrote it: an agent tool, or a shell command the agent ran. */
  source: 'tool' | 'command';
  /**
   * The path as it was just before the agent first wrote it — the checkpoint's version, or the
   * user's own edit made since. A rollback puts this back; the commit carries only the step from it.
   */
  baseMode: string | null;
  baseOid: string | null;
}

/** Change rows in the store. */
export interface ChangeStore {
  start(change: {
    id: string;
    commandId: string;
    sessionId: string;
    checkpointId: string;
    checkpointCommit: string;
    beforeTree: string;
    summary: string;
    now: string;
  }): void;
  update(
    id: string,
    fields: Partial<
      Pick<ChangeRecord, 'beforeTree' | 'afterTree' | 'files' | 'commitSha' | 'state' | 'pendingTree'>
    >,
    now: string,
  ): void;
  /** Records what a change wrote (the latest state per path wins). */
  recordWrites(changeId: string, writes: readonly ChangeWrite[], now: string): void;
  /** What a change wrote, by path. */
  writes(changeId: string): ChangeWrite[];
  get(id: string): ChangeRecord | null;
  byCommand(commandId: string): ChangeRecord | null;
  /** Most recent first. */
  list(options?: { state?: ChangeState; limit?: number }): ChangeRecord[];
}

interface Row {
  id: string;
  command_id: string;
  session_id: string;
  checkpoint_id: string;
  checkpoint_commit: string | null;
  before_tree: string;
  after_tree: string | null;
  files_json: string;
  commit_sha: string | null;
  summary: string;
  state: ChangeState;
  pending_tree: string | null;
  created_at: string;
  updated_at: string;
}

const toRecord = (r: Row): ChangeRecord => ({
  id: r.id,
  commandId: r.command_id,
  sessionId: r.session_id,
  checkpointId: r.checkpoint_id,
  checkpointCommit: r.checkpoint_commit,
  beforeTree: r.before_tree,
  afterTree: r.after_tree,
  files: JSON.parse(r.files_json) as string[],
  commitSha: r.commit_sha,
  summary: r.summary,
  state: r.state,
  pendingTree: r.pending_tree,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Creates the change store over an open database. */
export function createChangeStore(db: Db): ChangeStore {
  const insert = db.prepare(
    `INSERT INTO changes (id, command_id, session_id, checkpoint_id, checkpoint_commit, before_tree, summary, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
  );
  const upsertWrite = db.prepare(
    `INSERT INTO change_writes (change_id, path, mode, oid, source, base_mode, base_oid, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (change_id, path) DO UPDATE SET mode = excluded.mode, oid = excluded.oid, source = excluded.source, written_at = excluded.written_at`,
  );
  const writesOf = db.prepare(
    'SELECT path, mode, oid, source, base_mode AS baseMode, base_oid AS baseOid FROM change_writes WHERE change_id = ? ORDER BY path',
  );
  const byId = db.prepare('SELECT * FROM changes WHERE id = ?');
  const byCommand = db.prepare('SELECT * FROM changes WHERE command_id = ? ORDER BY rowid DESC LIMIT 1');
  return {
    start(c) {
      insert.run(
        c.id,
        c.commandId,
        c.sessionId,
        c.checkpointId,
        c.checkpointCommit,
        c.beforeTree,
        c.summary,
        c.now,
        c.now,
      );
    },
    recordWrites: db.transaction((changeId: string, writes: readonly ChangeWrite[], now: string) => {
      for (const w of writes)
        upsertWrite.run(changeId, w.path, w.mode, w.oid, w.source, w.baseMode, w.baseOid, now);
    }),
    writes(changeId) {
      return writesOf.all(changeId) as ChangeWrite[];
    },
    update(id, fields, now) {
      const columns: Record<string, string | null | undefined> = {
        before_tree: fields.beforeTree,
        after_tree: fields.afterTree,
        files_json: fields.files === undefined ? undefined : JSON.stringify(fields.files),
        commit_sha: fields.commitSha,
        state: fields.state,
        pending_tree: fields.pendingTree,
      };
      const sets: string[] = ['updated_at = ?'];
      const params: (string | null)[] = [now];
      for (const [column, value] of Object.entries(columns)) {
        if (value === undefined) continue;
        sets.push(`${column} = ?`);
        params.push(value);
      }
      db.prepare(`UPDATE changes SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
    },
    get(id) {
      const row = byId.get(id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    byCommand(commandId) {
      const row = byCommand.get(commandId) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    list({ state, limit = 50 } = {}) {
      const rows = state
        ? db
            .prepare('SELECT * FROM changes WHERE state = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
            .all(state, limit)
        : db.prepare('SELECT * FROM changes ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit);
      return (rows as Row[]).map(toRecord);
    },
  };
}
