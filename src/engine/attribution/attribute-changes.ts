import { rm } from 'node:fs/promises';
import type { ChangeWrite } from '../../store/changes.js';
import { changedEntries, entriesAt, sameEntry } from './tree-entries.js';

/** Who changed what since the checkpoint, judged by what the agent was seen to write. */
export interface Attribution {
  /** The work tree now, as a tree. */
  current: string;
  /** Changed by the agent (or its commands) and still exactly as it left them. */
  agentFiles: string[];
  /** Written by the agent, then changed again by someone else: the user's edit on top. */
  editedAfterAgent: string[];
  /** Changed since the checkpoint by someone other than the agent: the user's own work. */
  othersFiles: string[];
}

/**
 * Sorts what differs from the checkpoint by who changed it. A path the agent wrote is the agent's
 * while it is still exactly as the agent left it (and differs from how it was before the agent
 * first wrote it); someone else's once changed again since. Every other changed path is the user's.
 */
export async function attributeChanges(
  root: string,
  state: { checkpointTree: string; current: string; writes: readonly ChangeWrite[] },
): Promise<Attribution> {
  const changed = new Map(
    (await changedEntries(root, state.checkpointTree, state.current)).map((e) => [e.path, e]),
  );
  const unchangedWrites = state.writes.filter((w) => !changed.has(w.path)).map((w) => w.path);
  const asAtCheckpoint = await entriesAt(root, state.checkpointTree, unchangedWrites);
  const agentFiles: string[] = [];
  const editedAfterAgent: string[] = [];
  const othersFiles: string[] = [];
  for (const w of state.writes) {
    const now = changed.get(w.path) ?? asAtCheckpoint.get(w.path)!;
    const base = { mode: w.baseMode, oid: w.baseOid };
    if (sameEntry(w, base)) {
      if (!sameEntry(now, w) && changed.has(w.path)) othersFiles.push(w.path); // no net change of the agent's
    } else if (sameEntry(now, w)) agentFiles.push(w.path);
    else if (!sameEntry(now, base)) editedAfterAgent.push(w.path);
  }
  const written = new Set(state.writes.map((w) => w.path));
  for (const path of changed.keys()) if (!written.has(path)) othersFiles.push(path);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    current: state.current,
    agentFiles: agentFiles.sort(byName),
    editedAfterAgent: editedAfterAgent.sort(byName),
    othersFiles: othersFiles.sort(byName),
  };
}

/** Runs `work` with another private index beside `indexFile` (one per `name`), removed afterwards. */
export async function withTempIndex<T>(
  indexFile: string,
  name: string,
  work: (file: string) => Promise<T>,
): Promise<T> {
  const file = `${indexFile}.${name}.tmp`;
  try {
    return await work(file);
  } finally {
    await rm(file, { force: true });
    await rm(`${file}.lock`, { force: true });
  }
}
