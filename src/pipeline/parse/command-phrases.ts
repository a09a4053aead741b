import type { Intent } from '../../command/parsed-command.js';

/**
 * How each intent is usually said, for speech grammars and language models (the voice part builds
 * its offline vocabulary from these, `TRIGGER_PHRASES` and `spokenFormsOfPath`). Placeholders:
 * `{file}` a spoken file form, `{folder}` a spoken folder, `{message}` free dictation,
 * `{workflow}` a workflow name. Every phrase parses to its intent (tested).
 */
export const COMMAND_PHRASES: Readonly<Record<Intent, readonly string[]>> = {
  run_tests: [
    'run the tests',
    'run tests',
    'run all the tests',
    'run the failing tests',
    'test it',
    'run the tests in {file}',
  ],
  what_changed: [
    'what changed',
    'show the diff',
    'show me the diff',
    'git status',
    'what did you change',
    'what changed in {file}',
  ],
  show_file: ['show {file}', 'show me {file}', 'open {file}', 'read {file}', 'cat {file}'],
  list_files: ['list files', 'list the files', 'list files in {folder}', 'what files are in {folder}'],
  commit: ['commit', 'commit the changes', 'commit with message {message}'],
  undo: ['undo', 'undo that', 'undo the last change'],
  redo: ['redo', 'redo that'],
  push: ['push', 'push it', 'push the changes'],
  cancel: ['cancel', 'stop', 'abort', 'never mind'],
  confirm: ['confirm', 'approve', 'yes', 'yes do it', 'go ahead'],
  deny: ['deny', 'no', 'reject'],
  repeat: ['repeat', 'repeat that', 'say that again'],
  status: ['status', 'what are you doing'],
  fix_bug: [
    'fix the failing test in {file}',
    'fix the bug in {file}',
    'fix {file}',
    'debug {file}',
    'fix the failing test',
  ],
  implement: ['implement {message}', 'add {message} to {file}', 'update {file}'],
  refactor: ['refactor {file}', 'clean up {file}', 'simplify {file}', 'rename {message}'],
  explain: ['explain {file}', 'explain what changed', 'what does {file} do'],
  test: ['write tests for {file}', 'add tests for {file}', 'add a test for {file}'],
  review: ['review my changes', 'review the diff', 'review {file}'],
  question: ['why is {file} failing', 'where is {message}', 'how do i {message}'],
  workflow: ['run workflow {workflow}', 'prepare for code review'],
};
