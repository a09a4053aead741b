import { describe, expect, it } from 'vitest';
import { ParsedCommandSchema } from '../../command/parsed-command.js';
import { observeCase, type ParseCase, SAMPLE_FILES } from './parse-cases.js';
import { parseCommand } from './parse-command.js';

const parse = (text: string) => parseCommand(text, { files: SAMPLE_FILES });
const check = (c: ParseCase) => {
  const { actual, expected } = observeCase(c);
  expect(actual).toEqual(expected);
  expect(ParsedCommandSchema.safeParse(parse(c.text)).success).toBe(true);
};

describe('parseCommand: direct intents', () => {
  it.each<ParseCase>([
    { text: 'run the tests', intent: 'run_tests' },
    { text: 'run tests', intent: 'run_tests' },
    { text: 'rerun the failing tests', intent: 'run_tests' },
    { text: 'test it', intent: 'run_tests' },
    { text: 'npm test', intent: 'run_tests' },
    { text: 'do the tests pass?', intent: 'run_tests' },
    { text: 'what changed', intent: 'what_changed' },
    { text: 'what changed in user auth dot py?', intent: 'what_changed', files: ['src/user_auth.py'] },
    { text: 'show the diff', intent: 'what_changed' },
    { text: 'git status', intent: 'what_changed' },
    { text: 'what did you change', intent: 'what_changed' },
    { text: 'show me source slash app dot t s', intent: 'show_file', files: ['src/app.ts'] },
    { text: 'cat package.json', intent: 'show_file', files: ['package.json'] },
    { text: 'list files', intent: 'list_files' },
    { text: 'list files in source', intent: 'list_files', args: { path: 'src' } },
    { text: 'what files are in src?', intent: 'list_files', args: { path: 'src' } },
    {
      text: 'what files are in the source slash components folder',
      intent: 'list_files',
      args: { path: 'src/components' },
    },
    { text: 'list the tests folder', intent: 'list_files', args: { path: 'tests' } },
    { text: 'commit', intent: 'commit' },
    { text: 'commit: Fix the Login Bug', intent: 'commit', args: { message: 'Fix the Login Bug' } },
    {
      text: 'commit all changes with message "Add avatar"',
      intent: 'commit',
      args: { message: 'Add avatar' },
    },
    {
      text: 'commit with message update the readme and user auth dot py',
      intent: 'commit',
      args: { message: 'update the readme and user auth dot py' },
    },
    { text: 'undo', intent: 'undo' },
    { text: 'undo that', intent: 'undo' },
    { text: 'roll back the last change', intent: 'undo' },
    { text: 'redo', intent: 'redo' },
    { text: 'push', intent: 'push' },
    { text: 'push it', intent: 'push' },
    { text: 'push to origin', intent: 'push' },
    { text: 'push to main', intent: 'push' },
    { text: 'stop the tests', intent: 'cancel' },
    { text: 'no wait', intent: 'cancel' },
    { text: 'hold on', intent: 'cancel' },
    { text: 'cancel', intent: 'cancel' },
    { text: 'stop', intent: 'cancel' },
    { text: 'Abort!', intent: 'cancel' },
    { text: 'confirm', intent: 'confirm' },
    { text: 'approve', intent: 'confirm' },
    { text: 'yes', intent: 'confirm' },
    { text: 'deny', intent: 'deny' },
    { text: 'no', intent: 'deny' },
    { text: 'reject', intent: 'deny' },
    { text: 'repeat', intent: 'repeat' },
    { text: 'say that again', intent: 'repeat' },
    { text: 'status', intent: 'status' },
    { text: 'what are you doing?', intent: 'status' },
  ])('$text → $intent', check);
});

describe('parseCommand: model intents and conflicts', () => {
  it.each<ParseCase>([
    { text: 'fix the failing test', intent: 'fix_bug' },
    { text: 'debug the login form', intent: 'fix_bug', files: ['src/components/LoginForm.tsx'] },
    { text: 'the login page is broken', intent: 'fix_bug' },
    { text: 'implement password reset', intent: 'implement' },
    {
      text: 'add a dark mode toggle to the user avatar',
      intent: 'implement',
      files: ['src/components/UserAvatar.tsx'],
    },
    { text: 'the sidebar should collapse on mobile', intent: 'implement' },
    { text: 'refactor the payment code', intent: 'refactor' },
    { text: 'clean up format date dot py', intent: 'refactor', files: ['src/utils/format_date.py'] },
    { text: 'explain user auth dot py', intent: 'explain', files: ['src/user_auth.py'] },
    { text: 'explain what changed', intent: 'explain' },
    { text: 'what does format date dot py do', intent: 'explain', files: ['src/utils/format_date.py'] },
    { text: 'write tests for user auth dot py', intent: 'test', files: ['src/user_auth.py'] },
    { text: 'add a test for the login bug', intent: 'test' },
    { text: 'add more unit tests', intent: 'test' },
    { text: 'review my changes', intent: 'review' },
    { text: 'review the diff', intent: 'review' },
    { text: 'why is the login failing?', intent: 'question' },
    { text: 'how does the router work', intent: 'explain' },
    { text: 'how does the router pick a model', intent: 'question' },
    { text: 'where is the config loaded', intent: 'question' },
    { text: 'run workflow release check', intent: 'workflow', args: { workflow: 'release-check' } },
    { text: 'run the nightly cleanup workflow', intent: 'workflow', args: { workflow: 'nightly-cleanup' } },
    { text: 'prepare for code review', intent: 'workflow', args: { workflow: 'code-review' } },
    { text: 'show me how authentication works', intent: 'question' },
  ])('$text → $intent', check);
});
