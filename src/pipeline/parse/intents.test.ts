import { describe, expect, it } from 'vitest';
import { IntentSchema } from '../../command/parsed-command.js';
import { INTENT_RULES } from './intent-rules.js';
import { classifyIntent, intentText } from './intents.js';

const noFile = { hasFile: false };
const withFile = { hasFile: true };

describe('classifyIntent', () => {
  /** One example per intent at least; the coverage test below checks none is missing. */
  const examples: [string, string, { hasFile: boolean }][] = [
    ['run the unit tests again', 'run_tests', noFile],
    ['pytest', 'run_tests', noFile],
    ['what has changed since this morning', 'what_changed', noFile],
    ['show src/app.ts', 'show_file', withFile],
    ['list all the files in src', 'list_files', noFile],
    ['commit', 'commit', noFile],
    ['undo the last commit', 'undo', noFile],
    ['redo that', 'redo', noFile],
    ['push my changes to origin', 'push', noFile],
    ['never mind', 'cancel', noFile],
    ['looks good', 'confirm', noFile],
    ["no, don't", 'deny', noFile],
    ['come again?', 'repeat', noFile],
    ["how's it going", 'status', noFile],
    ['fix the failing test', 'fix_bug', noFile],
    ['implement rate limiting', 'implement', noFile],
    ['rename the helper to parseDate', 'refactor', noFile],
    ['explain what changed', 'explain', noFile],
    ['write unit tests for the parser', 'test', noFile],
    ['review the diff', 'review', noFile],
    ['is the cache thread safe?', 'question', noFile],
    ['run workflow release check', 'workflow', noFile],
  ];
  it.each(examples)('%s → %s', (text, intent, context) => {
    expect(classifyIntent(text, context).intent).toBe(intent);
  });

  it('has an example for every intent', () => {
    expect(new Set(examples.map(([, intent]) => intent))).toEqual(new Set(IntentSchema.options));
  });

  it.each([
    ['fix the failing test', 'fix_bug', 'led by fix, though it mentions a test'],
    ['add a test for the failing login', 'test', 'writing a test wins over the bug keyword'],
    ['commit with message fix the login bug', 'commit', 'a commit message is not a bug report'],
    ['explain what changed', 'explain', 'explaining needs a model'],
    ['what changed in the parser', 'what_changed', 'a direct look at the diff'],
    ['run the failing tests', 'run_tests', 'running, not fixing'],
    ['test it', 'run_tests', '"test it" runs the tests'],
    ['test the login flow', 'test', 'testing something new means writing tests'],
    ['git status', 'what_changed', 'git status is about changes'],
    ['status', 'status', "status alone is Ralex's own"],
    ['show me the diff', 'what_changed', 'the diff is not a file'],
    ['why is the login failing?', 'question', 'a question, even about a failure'],
    ['the login is failing', 'fix_bug', 'a statement of a failure'],
    ['stop the server from crashing', 'fix_bug', '"stop" alone cancels; in a sentence it does not'],
    ['no, the other one', 'question', '"no" alone denies; in a sentence it does not'],
  ])('%s → %s (%s)', (text, intent) => {
    expect(classifyIntent(text, noFile).intent).toBe(intent);
  });

  it('needs a file for show/open/read', () => {
    expect(classifyIntent('open the settings', noFile).intent).toBe('question');
    expect(classifyIntent('open the settings', withFile).intent).toBe('show_file');
  });

  it('extracts arguments in their original case', () => {
    expect(classifyIntent('Commit with message "Fix Login"', noFile).args).toEqual({ message: 'Fix Login' });
    expect(classifyIntent('git commit -m Bump deps', noFile).args).toEqual({ message: 'Bump deps' });
    expect(classifyIntent('commit saying Update README.', noFile).args).toEqual({ message: 'Update README' });
    expect(classifyIntent('commit the changes', noFile).args).toEqual({});
    expect(classifyIntent('run the tests for the parser', noFile).args).toEqual({ filter: 'the parser' });
    expect(classifyIntent('start the Nightly Cleanup workflow', noFile).args).toEqual({
      workflow: 'nightly-cleanup',
    });
    expect(classifyIntent('get ready for release', noFile).args).toEqual({ workflow: 'release' });
  });

  it('defaults to question and reports the deciding rule', () => {
    expect(classifyIntent('banana', noFile)).toEqual({ intent: 'question', args: {}, rule: -1 });
    const decision = classifyIntent('undo', noFile);
    expect(INTENT_RULES[decision.rule]!.intent).toBe('undo');
  });

  it('normalises text for matching', () => {
    expect(intentText('  Fix THE bug, now!  ')).toBe('fix the bug now');
    expect(intentText('what changed?')).toBe('what changed ?');
    expect(intentText('open src/app.ts.')).toBe('open src/app.ts');
  });
});
