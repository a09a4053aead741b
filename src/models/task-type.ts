import type { TaskKind } from '../config/models-schema.js';

/** How hard a task is, from the parse stage's complexity (1–3 easy, 4–6 medium, 7–10 hard). */
export type Difficulty = 'easy' | 'medium' | 'hard';

/** What the router routes and learns by: the kind of task and how hard it is. */
export interface TaskType {
  kind: TaskKind;
  difficulty: Difficulty;
  /** 1–10, as parsed (chats: 3). */
  complexity: number;
  /** True when the task needs tools (the agent reads and edits the project). */
  needsTools: boolean;
  /** `kind/difficulty`, the key learned statistics are kept under. */
  key: string;
}

const KINDS = new Set<string>(['fix_bug', 'implement', 'refactor', 'test', 'explain', 'review', 'question']);

/** The task type of a command (intent and complexity) or of a plain chat (`chat`). */
export function taskTypeOf(intent: string | null, complexity = 3): TaskType {
  const kind = (intent && KINDS.has(intent) ? intent : 'chat') as TaskKind;
  const c = Math.min(10, Math.max(1, Math.round(complexity)));
  const difficulty: Difficulty = c <= 3 ? 'easy' : c <= 6 ? 'medium' : 'hard';
  return { kind, difficulty, complexity: c, needsTools: kind !== 'chat', key: `${kind}/${difficulty}` };
}

/** Parses a `kind/difficulty` key back (for `ralex models`); null when it is not one. */
export function parseTaskKey(key: string): Pick<TaskType, 'kind' | 'difficulty'> | null {
  const [kind, difficulty] = key.split('/');
  if (!kind || !difficulty || !['easy', 'medium', 'hard'].includes(difficulty)) return null;
  return { kind: kind as TaskKind, difficulty: difficulty as Difficulty };
}
