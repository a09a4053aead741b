import { isOwnerAlive, type OwnerProcess } from '../util/proc-stat.js';
import type { Db } from './database.js';

/** Who holds the repository's change lock. */
export interface LockHolder {
  commandId: string;
  text: string;
  owner: OwnerProcess;
  acquiredAt: string;
}

/**
 * The per-repository change lock, in the store so every Ralex process on the project (a
 * `ralex serve` and a `ralex run` in a terminal) sees the same one: one change command at a
 * time. A lock whose owner process is gone (killed, crashed) is taken over.
 */
export interface RepoLockStore {
  /** Takes the lock for a command, or says who holds it. Atomic across processes. */
  tryAcquire(request: {
    commandId: string;
    text: string;
    owner: OwnerProcess;
    now: string;
  }): { acquired: true } | { acquired: false; holder: LockHolder };
  /** Releases the lock if this command holds it. */
  release(commandId: string): void;
  /** The current holder, if any (a dead owner's lock counts as free). */
  holder(): LockHolder | null;
}

interface Row {
  command_id: string;
  text: string;
  owner_pid: number;
  owner_started: string;
  acquired_at: string;
}

const LOCK = 'change';

const toHolder = (r: Row): LockHolder => ({
  commandId: r.command_id,
  text: r.text,
  owner: { pid: r.owner_pid, started: r.owner_started },
  acquiredAt: r.acquired_at,
});

/** Creates the lock store over an open database. */
export function createRepoLockStore(db: Db): RepoLockStore {
  const select = db.prepare('SELECT * FROM repo_locks WHERE name = ?');
  const remove = db.prepare('DELETE FROM repo_locks WHERE name = ? AND command_id = ?');
  const insert = db.prepare(
    'INSERT INTO repo_locks (name, command_id, text, owner_pid, owner_started, acquired_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const live = (): LockHolder | null => {
    const row = select.get(LOCK) as Row | undefined;
    if (!row) return null;
    const holder = toHolder(row);
    return isOwnerAlive(holder.owner) ? holder : null;
  };
  // IMMEDIATE takes SQLite's write lock first, so two processes cannot both see the lock free.
  const acquire = db.transaction(
    (r: { commandId: string; text: string; owner: OwnerProcess; now: string }) => {
      const row = select.get(LOCK) as Row | undefined;
      if (row) {
        const holder = toHolder(row);
        if (holder.commandId === r.commandId) return { acquired: true as const };
        if (isOwnerAlive(holder.owner)) return { acquired: false as const, holder };
        remove.run(LOCK, holder.commandId);
      }
      insert.run(LOCK, r.commandId, r.text.slice(0, 200), r.owner.pid, r.owner.started, r.now);
      return { acquired: true as const };
    },
  );
  return {
    tryAcquire: (request) => acquire.immediate(request),
    release(commandId) {
      remove.run(LOCK, commandId);
    },
    holder: live,
  };
}
