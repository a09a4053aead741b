import { RalexError } from '../../errors.js';
import type { Intent } from '../../pipeline/parsed-command.js';
import type { DirectAction } from './direct-action.js';
import { listFiles } from './list-files.js';
import { runTests } from './run-tests.js';
import { cancelRunning, confirmApproval, denyApproval, repeatLast, showStatus } from './session-controls.js';
import { showFile } from './show-file.js';
import { whatChanged } from './what-changed.js';

/** Changes to history come with the execution engine (checkpoints, commits, undo). */
const notYet =
  (what: string): DirectAction =>
  async () => {
    throw new RalexError('bad_request', `${what} is not available in this version of Ralex yet.`, {
      hint: 'Use git directly for now; the read-only direct commands (run the tests, what changed, show a file, list files) work.',
    });
  };

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
  commit: notYet('Committing by voice'),
  undo: notYet('Undo'),
  redo: notYet('Redo'),
  push: notYet('Push'),
  fix_bug: undefined,
  implement: undefined,
  refactor: undefined,
  explain: undefined,
  test: undefined,
  review: undefined,
  question: undefined,
  workflow: undefined,
};
