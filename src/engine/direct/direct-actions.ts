import type { Intent } from '../../command/parsed-command.js';
import { commitWithMessage, pushBranch } from './commit-and-push.js';
import type { DirectAction } from './direct-action.js';
import { listFiles } from './list-files.js';
import { runTests } from './run-tests.js';
import { cancelRunning, confirmApproval, denyApproval, repeatLast, showStatus } from './session-controls.js';
import { showFile } from './show-file.js';
import { redoLast, undoLast } from './undo-redo.js';
import { whatChanged } from './what-changed.js';

/** Which action answers each direct intent. */
export const DIRECT_ACTIONS: Readonly<Record<Extract<Intent, string>, DirectAction | undefined>> = {
  run_tests: runTests,
  what_changed: whatChanged,
  show_file: showFile,
  list_files: listFiles,
  status: showStatus,
  repeat: repeatLast,
  cancel: cancelRunning,
  confirm: confirmApproval,
  deny: denyApproval,
  commit: commitWithMessage,
  undo: undoLast,
  redo: redoLast,
  push: pushBranch,
  fix_bug: undefined,
  implement: undefined,
  refactor: undefined,
  explain: undefined,
  test: undefined,
  review: undefined,
  question: undefined,
  workflow: undefined,
};
