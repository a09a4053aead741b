import { rm } from 'node:fs/promises';
import type { ChangeWrite } from '../../store/changes.js';
import { changedEntries, sameEntry } from './tree-entries.js';

/** Who changed what since the checkpoint, judged by what the agent was seen to write. */
export interface Attribution {
  /** The work tree now, as a tree. */
  current: string;
  /** Changed since the checkpoint and still exactly as the agent (or its commands) left them. */
  agentFiles: string[];
  /** Written by the agent, then changed again by someone else: the user's edit on top. */
  editedAfterAgent: string[];
  /** Changed since the checkpoint by someone other than the agent: the user's own work. */
  othersFiles: string[];
}

/** Sorts the paths that differ between the checkpoint and the current tree by who changed them. */
export async function attributeChanges(
  root: string,
  state: { checkpointTree: string; current: string; writes: readonly ChangeWrite[] },
): Promise<Attribution> {
  const changed = await changedEntries(root, state.checkpointTree, state.current);
  const byPath = new Map(changed.map((e) => [e.path, e]));
  const written = new Map(state.writes.map((w) => [w.path, w]));
  const agentFiles: string[] = [];
  const editedAfterAgent: string[] = [];
  const othersFiles: string[] = [];
  for (const [path, now] of byPath) {
    const write = written.get(path);
    if (!write) othersFiles.push(path);
    else if (sameEntry(now, write)) agentFiles.push(path);
    else editedAfterAgent.push(path);
  }
  return { current: state.current, agentFiles, editedAfterAgent, othersFiles };
}

/** Runs `work` with a second private index beside `indexFile`, removed afterwards. */
export async function withTempIndex<T>(indexFile: string, work: (file: string) => Promise<T>): Promise<T> {
  const file = `${indexFile}.tmp`;
  try {
    return await work(file);
  } finally {
    await rm(file, { force: true });
    await rm(`${file}.lock`, { force: true });
  }
}
