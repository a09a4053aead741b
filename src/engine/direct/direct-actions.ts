import type { Intent } from '../../command/parsed-command.js';
import type { DirectAction } from './direct-action.js';

/** Loads the action of one direct intent. */
type LoadAction = () => Promise<DirectAction>;

/**
 * Which action answers each direct intent, each loaded on first use: a one-shot `ralex run
 * "what changed"` loads git's diff reading, not the checks, the commit or the undo machinery.
 */
export const DIRECT_ACTIONS: Readonly<Record<Extract<Intent, string>, LoadAction | undefined>> = {
  run_tests: async () => (await import('./run-tests.js')).runTests,
  what_changed: async () => (await import('./what-changed.js')).whatChanged,
  show_file: async () => (await import('./show-file.js')).showFile,
  list_files: async () => (await import('./list-files.js')).listFiles,
  status: async () => (await import('./session-controls.js')).showStatus,
  repeat: async () => (await import('./session-controls.js')).repeatLast,
  cancel: async () => (await import('./session-controls.js')).cancelRunning,
  confirm: async () => (await import('./session-controls.js')).confirmApproval,
  deny: async () => (await import('./session-controls.js')).denyApproval,
  commit: async () => (await import('./commit-and-push.js')).commitWithMessage,
  undo: async () => (await import('./undo-redo.js')).undoLast,
  redo: async () => (await import('./undo-redo.js')).redoLast,
  push: async () => (await import('./commit-and-push.js')).pushBranch,
  fix_bug: undefined,
  implement: undefined,
  refactor: undefined,
  explain: undefined,
  test: undefined,
  review: undefined,
  question: undefined,
  workflow: undefined,
};
