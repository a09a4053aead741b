import { describe, expect, it } from 'vitest';
import { ParsedCommandSchema } from '../parsed-command.js';
import { createFileMatcher } from './file-matcher.js';
import { parseCommand } from './parse-command.js';
import { spokenFormsOfPath } from './spoken-forms.js';
import { TRIGGER_PHRASES } from './trigger-endings.js';

/** A realistic project; lib/payment-service.js and lib/paymentService.js are near-twins on purpose. */
const FILES: readonly string[] = [
  '.env.example',
  '.github/workflows/ci.yml',
  'Makefile',
  'README.md',
  'config/settings.yaml',
  'docs/getting-started.md',
  'lib/payment-service.js',
  'lib/paymentService.js',
  'package.json',
  'scripts/deploy.sh',
  'src/api/v2/client.ts',
  'src/app.ts',
  'src/components/LoginForm.tsx',
  'src/components/UserAvatar.tsx',
  'src/db/migrations/0042_add_users.sql',
  'src/index.ts',
  'src/user_auth.py',
  'src/utils/format_date.py',
  'tests/test_format_date.py',
  'tests/test_user_auth.py',
  'web/src/app.ts',
];

const parse = (text: string) => parseCommand(text, { files: FILES });

interface Case {
  text: string;
  intent: string;
  files?: string[];
  autoSubmit?: boolean;
  trigger?: string | null;
  request?: string;
  args?: Record<string, string>;
}

function check(c: Case): void {
  const p = parse(c.text);
  expect(ParsedCommandSchema.parse(p)).toEqual(p);
  expect(p.intent, 'intent').toBe(c.intent);
  expect(p.files, 'files').toEqual(c.files ?? []);
  expect(p.autoSubmit, 'autoSubmit').toBe(c.autoSubmit ?? false);
  expect(p.trigger, 'trigger').toBe(c.trigger ?? null);
  if (c.request !== undefined) expect(p.request, 'request').toBe(c.request);
  expect(p.args, 'args').toEqual(c.args ?? {});
  expect(p.direct).toBe(
    [
      'run_tests',
      'what_changed',
      'show_file',
      'list_files',
      'commit',
      'undo',
      'redo',
      'push',
      'cancel',
      'confirm',
      'deny',
      'repeat',
      'status',
    ].includes(c.intent),
  );
}

describe('parseCommand: the brief examples', () => {
  it.each<Case>([
    {
      text: 'fix the failing test in user auth dot py, execute',
      intent: 'fix_bug',
      files: ['src/user_auth.py'],
      autoSubmit: true,
      trigger: 'execute',
      request: 'fix the failing test in src/user_auth.py',
    },
    {
      text: 'commit with message fix typo in readme',
      intent: 'commit',
      args: { message: 'fix typo in readme' },
      request: 'commit with message fix typo in readme',
    },
    { text: 'source slash app dot t s', intent: 'question', files: ['src/app.ts'], request: 'src/app.ts' },
    { text: 'fix the, uh, no, fix the test', intent: 'fix_bug', request: 'fix the test' },
    {
      text: 'open the, open user auth',
      intent: 'show_file',
      files: ['src/user_auth.py'],
      request: 'open src/user_auth.py',
    },
  ])('$text', check);
});

describe('parseCommand: every trigger ending', () => {
  const endings = TRIGGER_PHRASES.flatMap((phrase) => [
    [`, ${phrase}`, phrase],
    [` ${phrase}`, phrase],
    [`, ${phrase.toUpperCase()}!`, phrase],
    [`. ${phrase[0]!.toUpperCase()}${phrase.slice(1)} please.`, phrase],
    [` and ${phrase} now`, phrase],
  ]);
  it.each(endings)('"write tests for format date dot py%s" → %s', (ending, phrase) => {
    check({
      text: `write tests for format date dot py${ending}`,
      intent: 'test',
      files: ['src/utils/format_date.py'],
      autoSubmit: true,
      trigger: phrase,
      request: 'write tests for src/utils/format_date.py',
    });
  });

  it.each<Case>([
    { text: 'how do I do it', intent: 'question', request: 'how do I do it' },
    { text: 'explain how to apply it', intent: 'explain' },
    { text: 'should we proceed?', intent: 'question' },
    { text: 'execute the migration script', intent: 'question' },
    { text: 'go ahead', intent: 'confirm', request: 'go ahead' },
    { text: 'Do it.', intent: 'confirm' },
    { text: 'execute', intent: 'confirm' },
    { text: 'okay, go ahead', intent: 'confirm', autoSubmit: false },
    { text: 'yes do it', intent: 'confirm', autoSubmit: true, trigger: 'do it', request: 'yes' },
  ])('only at the end, and not when the phrase is the sentence: $text', check);
});

describe('parseCommand: fillers and false starts', () => {
  it.each<Case>([
    { text: 'um so okay can you please run the tests', intent: 'run_tests', request: 'run the tests' },
    {
      text: 'Hey Ralex, could you open the readme file',
      intent: 'show_file',
      files: ['README.md'],
      request: 'open the README.md',
    },
    {
      text: 'ralex, I want you to refactor user auth dot py',
      intent: 'refactor',
      files: ['src/user_auth.py'],
    },
    {
      text: "let's write tests for login form dot t s x",
      intent: 'test',
      files: ['src/components/LoginForm.tsx'],
    },
    {
      text: 'like, uh, explain format date dot py please',
      intent: 'explain',
      files: ['src/utils/format_date.py'],
    },
    { text: 'could you, um, show me what changed', intent: 'what_changed', request: 'show me what changed' },
    { text: 'fix the the parser', intent: 'fix_bug', request: 'fix the parser' },
    {
      text: 'open user auth dot py, no, format date dot py',
      intent: 'show_file',
      files: ['src/utils/format_date.py'],
      request: 'open src/utils/format_date.py',
    },
    {
      text: 'fix the test in user auth dot py, sorry, in format date dot py',
      intent: 'fix_bug',
      files: ['src/utils/format_date.py'],
      request: 'fix the test in src/utils/format_date.py',
    },
    { text: 'explain the, I mean, review the diff', intent: 'review', request: 'review the diff' },
    {
      text: 'fix the login form, fix the user avatar',
      intent: 'fix_bug',
      files: ['src/components/LoginForm.tsx', 'src/components/UserAvatar.tsx'],
      request: 'fix the src/components/LoginForm.tsx, fix the src/components/UserAvatar.tsx',
    },
    { text: 'okay', intent: 'confirm' },
    { text: 'there is no, um, test for this', intent: 'question' },
  ])('$text', check);
});

describe('parseCommand: file references', () => {
  it.each<Case>([
    { text: 'show src/app.ts', intent: 'show_file', files: ['src/app.ts'] },
    { text: 'show `./src/index.ts`', intent: 'show_file', files: ['src/index.ts'] },
    { text: 'open user_auth.py', intent: 'show_file', files: ['src/user_auth.py'] },
    {
      text: 'fix src/components/UserAvatar.tsx:42',
      intent: 'fix_bug',
      files: ['src/components/UserAvatar.tsx'],
    },
    { text: 'read SRC/USER_AUTH.PY', intent: 'show_file', files: ['src/user_auth.py'] },
    { text: 'show me README dot MD', intent: 'show_file', files: ['README.md'] },
    { text: 'open user avatar dot t s x', intent: 'show_file', files: ['src/components/UserAvatar.tsx'] },
    { text: 'open capital r readme dot markdown', intent: 'show_file', files: ['README.md'] },
    { text: 'explain client dot typescript', intent: 'explain', files: ['src/api/v2/client.ts'] },
    {
      text: 'explain source slash api slash v two slash client dot t s',
      intent: 'explain',
      files: ['src/api/v2/client.ts'],
    },
    {
      text: 'review oh oh four two add users dot sequel',
      intent: 'review',
      files: ['src/db/migrations/0042_add_users.sql'],
    },
    { text: 'show the settings dot yaml file', intent: 'show_file', files: ['config/settings.yaml'] },
    { text: "what's in package dot jason", intent: 'show_file', files: ['package.json'] },
    { text: 'open c i dot yaml', intent: 'show_file', files: ['.github/workflows/ci.yml'] },
    {
      text: 'show docs slash getting started dot m d',
      intent: 'show_file',
      files: ['docs/getting-started.md'],
    },
    { text: 'read deploy dot s h', intent: 'show_file', files: ['scripts/deploy.sh'] },
    { text: 'open the makefile', intent: 'show_file', files: ['Makefile'] },
    { text: 'explain the readme', intent: 'explain', files: ['README.md'] },
    { text: 'update the client', intent: 'implement', files: ['src/api/v2/client.ts'] },
    { text: 'update the index', intent: 'implement', files: ['src/index.ts'] },
    { text: 'update the config', intent: 'implement' },
    {
      text: 'please add pagination to the orders page, and, uh, make it happen',
      intent: 'implement',
      autoSubmit: true,
      trigger: 'make it happen',
      request: 'add pagination to the orders page',
    },
    { text: 'cat .env.example', intent: 'show_file', files: ['.env.example'] },
    { text: 'read the test user auth file', intent: 'show_file', files: ['tests/test_user_auth.py'] },
    { text: 'fix the bug in user oath dot py', intent: 'fix_bug', files: ['src/user_auth.py'] },
    {
      text: 'the user auth module throws on empty passwords',
      intent: 'fix_bug',
      files: ['src/user_auth.py'],
    },
    {
      text: 'refactor user auth dot py and format date dot py',
      intent: 'refactor',
      files: ['src/user_auth.py', 'src/utils/format_date.py'],
    },
    {
      text: 'fix the failing test in user auth.py execute',
      intent: 'fix_bug',
      files: ['src/user_auth.py'],
      autoSubmit: true,
      trigger: 'execute',
    },
    { text: 'open settings.yml', intent: 'show_file', files: ['config/settings.yaml'] },
    {
      text: 'run the user auth tests',
      intent: 'run_tests',
      files: ['src/user_auth.py'],
      args: { filter: 'src/user_auth.py' },
    },
    { text: 'run the integration tests', intent: 'run_tests' },
    {
      text: 'run the tests in test user auth dot py',
      intent: 'run_tests',
      files: ['tests/test_user_auth.py'],
      args: { filter: 'tests/test_user_auth.py' },
    },
  ])('$text', check);

  it('asks back when two files fit equally: resolved null, both candidates', () => {
    const p = parse('fix the bug in payment service dot j s');
    expect(p.files).toEqual([]);
    expect(p.mentions).toEqual([
      {
        spoken: 'payment service dot j s',
        candidates: ['lib/paymentService.js', 'lib/payment-service.js'],
        resolved: null,
      },
    ]);
    expect(p.request).toBe('fix the bug in payment service dot j s');
    const app = parse('open app dot t s');
    expect(app.mentions[0]).toMatchObject({ resolved: null });
    expect([...app.mentions[0]!.candidates].sort()).toEqual(['src/app.ts', 'web/src/app.ts']);
  });

  it('prefers the file whose separators were said or typed', () => {
    expect(parse('open payment dash service dot j s').files).toEqual(['lib/payment-service.js']);
    expect(parse('open lib/paymentService.js').files).toEqual(['lib/paymentService.js']);
    expect(parse('open source slash app dot t s').files).toEqual(['src/app.ts']);
  });

  it('reports unknown files as mentions without candidates', () => {
    const p = parse('explain foo bar dot py');
    expect(p.files).toEqual([]);
    expect(p.mentions).toEqual([{ spoken: 'foo bar dot py', candidates: [], resolved: null }]);
    expect(parse('open nothing_here.rs').mentions).toEqual([
      { spoken: 'nothing_here.rs', candidates: [], resolved: null },
    ]);
    expect(parse('open a pull request')).toMatchObject({ intent: 'question', mentions: [] });
  });

  it('does not take URLs, abbreviations, versions, product names or stray dots for files', () => {
    for (const text of [
      'explain https://example.com/a.js',
      'is this e.g. fine',
      'upgrade to v1.2',
      'how does node.js stream this',
      'fix the dot product function',
      'bump it to version two dot oh',
      'use and slash or in the docs',
      'see config.option for details',
    ]) {
      expect(parse(text).mentions).toEqual([]);
    }
  });

  it('keeps a typed identifier in the request while listing its file', () => {
    const p = parse('rename userAvatar to avatar');
    expect(p).toMatchObject({
      intent: 'refactor',
      files: ['src/components/UserAvatar.tsx'],
      request: 'rename userAvatar to avatar',
    });
  });

  it('understands every spoken form spokenFormsOfPath gives for a file with a unique name', () => {
    const unique = [
      'src/user_auth.py',
      'src/components/LoginForm.tsx',
      'src/db/migrations/0042_add_users.sql',
      'docs/getting-started.md',
    ];
    for (const path of unique) {
      for (const form of spokenFormsOfPath(path, { max: 50 })) {
        expect(parse(`review ${form}`).files, form).toEqual([path]);
      }
    }
  });
});

describe('parseCommand: direct intents', () => {
  it.each<Case>([
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
  it.each<Case>([
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

describe('parseCommand: complexity and edges', () => {
  it('scores direct intents 1 and grows with scope, risk and file count', () => {
    expect(parse('run the tests').complexity).toBe(1);
    const small = parse('fix the typo in readme dot m d').complexity;
    const wide = parse('refactor the database migration code across the whole project').complexity;
    expect(small).toBeLessThan(wide);
    expect(wide).toBeGreaterThanOrEqual(9);
    expect(parse('explain user auth dot py').complexity).toBeLessThan(
      parse('explain user auth dot py and format date dot py').complexity,
    );
  });

  it('handles empty and whitespace input', () => {
    expect(parse('')).toMatchObject({ request: '', intent: 'question', files: [], autoSubmit: false });
    expect(parse('   um   ').request).toBe('');
  });

  it('accepts a prebuilt matcher and gives the same result', () => {
    const matcher = createFileMatcher(FILES);
    const text = 'fix the failing test in user auth dot py, execute';
    expect(parseCommand(text, { matcher })).toEqual(parse(text));
  });

  it('keeps the original text', () => {
    expect(parse('Um, fix the bug, go ahead').text).toBe('Um, fix the bug, go ahead');
  });
});
