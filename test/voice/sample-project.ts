/**
 * A sample project and the spoken commands the voice tests and bench say over it: each with the
 * intent, resolved files and auto-submit the parse stage must produce from the recognised text.
 */

/** Project-relative files of a realistic small web/Python project. */
export const SAMPLE_FILES = [
  'README.md',
  'package.json',
  'tsconfig.json',
  'Dockerfile',
  'Makefile',
  '.github/workflows/ci.yml',
  'docs/architecture.md',
  'scripts/deploy.sh',
  'src/app.ts',
  'src/server.ts',
  'src/user_auth.py',
  'src/billing.py',
  'src/api/routes/payments.ts',
  'src/api/routes/users.ts',
  'src/api/middleware/rate_limit.ts',
  'src/components/LoginForm.tsx',
  'src/components/NavBar.tsx',
  'src/db/schema.py',
  'src/db/migrations/init_tables.sql',
  'src/utils/date_format.ts',
  'src/utils/logger.ts',
  'src/config/settings.py',
  'tests/test_user_auth.py',
  'tests/test_payments.py',
  'tests/conftest.py',
  // Named by the bench's evaluation phrases (bench/voice/evaluation-phrases.ts).
  'main.py',
  'src/api/payment_api.ts',
  'src/api/routes/user_registration.ts',
  'src/services/notification_service.ts',
  'src/services/checkout.ts',
  'src/models/user.ts',
  'src/legacy/utils.js',
] as const;

/** One spoken command and what it must parse to. */
export interface SampleCommand {
  say: string;
  intent: string;
  files: string[];
  autoSubmit: boolean;
  /** For a commit: the message it must carry. */
  message?: string;
}

const c = (
  say: string,
  intent: string,
  files: string[] = [],
  autoSubmit = false,
  message?: string,
): SampleCommand => ({
  say,
  intent,
  files,
  autoSubmit,
  ...(message ? { message } : {}),
});

/** The control words of issue 5 item 5, said alone. */
export const CONTROL_COMMANDS: SampleCommand[] = [
  c('confirm', 'confirm'),
  c('approve', 'confirm'),
  c('cancel', 'cancel'),
  c('deny', 'deny'),
  c('stop', 'cancel'),
  c('undo that', 'undo'),
  c('repeat', 'repeat'),
  c('what changed', 'what_changed'),
];

/** At least 60 commands over SAMPLE_FILES (control words included). */
export const SAMPLE_COMMANDS: SampleCommand[] = [
  ...CONTROL_COMMANDS,
  c('fix the failing test in user auth dot py, execute', 'fix_bug', ['src/user_auth.py'], true),
  c('fix the bug in billing dot py', 'fix_bug', ['src/billing.py']),
  c('fix the type error in payments dot t s, go ahead', 'fix_bug', ['src/api/routes/payments.ts'], true),
  c('fix the failing tests in test payments dot py', 'fix_bug', ['tests/test_payments.py']),
  c('fix the error in logger dot t s, do it', 'fix_bug', ['src/utils/logger.ts'], true),
  c('fix the crash in server dot t s', 'fix_bug', ['src/server.ts']),
  c('fix the lint errors in nav bar dot t s x, send it', 'fix_bug', ['src/components/NavBar.tsx'], true),
  c('run the tests', 'run_tests'),
  c('run all the tests, execute', 'run_tests', [], true),
  c('run the tests in test user auth dot py', 'run_tests', ['tests/test_user_auth.py']),
  c('run the tests for test payments dot py, run it', 'run_tests', ['tests/test_payments.py'], true),
  c('show me the diff', 'what_changed'),
  c('what did you change', 'what_changed'),
  c('show app dot t s', 'show_file', ['src/app.ts']),
  c('show me readme dot m d', 'show_file', ['README.md']),
  c('read settings dot py', 'show_file', ['src/config/settings.py']),
  c('open login form dot t s x', 'show_file', ['src/components/LoginForm.tsx']),
  c('show schema dot py', 'show_file', ['src/db/schema.py']),
  c('open package dot json', 'show_file', ['package.json']),
  c('read docs slash architecture dot m d', 'show_file', ['docs/architecture.md']),
  c('show source slash server dot t s', 'show_file', ['src/server.ts']),
  c('open rate limit dot t s', 'show_file', ['src/api/middleware/rate_limit.ts']),
  c('list files', 'list_files'),
  c('list the files in source slash utils', 'list_files'),
  c('list all files', 'list_files'),
  c('commit with message fix login validation', 'commit', [], false),
  c('commit the changes with message fix typo, execute', 'commit', [], true),
  c('commit with message update the readme', 'commit'),
  c('commit', 'commit'),
  c('push', 'push'),
  c('push the changes to origin', 'push'),
  c('undo', 'undo'),
  c('undo the last change', 'undo'),
  c('redo', 'redo'),
  c('redo that', 'redo'),
  c('cancel that', 'cancel'),
  c('yes', 'confirm'),
  c('no', 'deny'),
  c('repeat that', 'repeat'),
  c('what is the status', 'status'),
  c('add tests for billing dot py, execute', 'test', ['src/billing.py'], true),
  c('write unit tests for date format dot t s', 'test', ['src/utils/date_format.ts']),
  c('add tests for users dot t s', 'test', ['src/api/routes/users.ts']),
  c('explain server dot t s', 'explain', ['src/server.ts']),
  c('explain how rate limit dot t s works', 'explain', ['src/api/middleware/rate_limit.ts']),
  c('what does deploy dot s h do', 'explain', ['scripts/deploy.sh']),
  c('explain conftest dot py', 'explain', ['tests/conftest.py']),
  c('refactor logger dot t s', 'refactor', ['src/utils/logger.ts']),
  c('refactor billing dot py, make it happen', 'refactor', ['src/billing.py'], true),
  c('clean up nav bar dot t s x', 'refactor', ['src/components/NavBar.tsx']),
  c('review payments dot t s', 'review', ['src/api/routes/payments.ts']),
  c('review my changes', 'review'),
  c('review user auth dot py, proceed', 'review', ['src/user_auth.py'], true),
  c('add input validation to login form dot t s x', 'implement', ['src/components/LoginForm.tsx']),
  c('add logging to billing dot py, apply it', 'implement', ['src/billing.py'], true),
  c('implement retry in payments dot t s', 'implement', ['src/api/routes/payments.ts']),
  c('add error handling to server dot t s, execute', 'implement', ['src/server.ts'], true),
  c('fix settings dot py', 'fix_bug', ['src/config/settings.py']),
  c('explain schema dot py', 'explain', ['src/db/schema.py']),
  c('show makefile', 'show_file', ['Makefile']),
  c('open dockerfile', 'show_file', ['Dockerfile']),
  c('review c i dot yaml', 'review', ['.github/workflows/ci.yml']),
  c('show init tables dot s q l', 'show_file', ['src/db/migrations/init_tables.sql']),
];

/**
 * Natural commands with words outside the grammar's exact phrasings (free tails, questions without
 * a command verb, files named by what they are): the tuning half's share of how people really
 * talk, written for tuning the two-pass reading. The bench's evaluation half is separate
 * (bench/voice/evaluation-phrases.ts) and never used for tuning.
 */
export const NATURAL_COMMANDS: SampleCommand[] = [
  c('refactor billing dot py to use dependency injection', 'refactor', ['src/billing.py']),
  c('walk me through server dot t s', 'explain', ['src/server.ts']),
  c('walk me through the login form', 'explain', ['src/components/LoginForm.tsx']),
  c('add a dark mode toggle to nav bar dot t s x', 'implement', ['src/components/NavBar.tsx']),
  c('explain how the rate limit middleware works', 'explain', ['src/api/middleware/rate_limit.ts']),
  c('what is this project about', 'question'),
  c('can you fix the flaky test in test payments dot py', 'fix_bug', ['tests/test_payments.py']),
  c('make the logger less noisy', 'implement', ['src/utils/logger.ts']),
  c('open the settings file', 'show_file', ['src/config/settings.py']),
  c('show me the schema', 'show_file', ['src/db/schema.py']),
  c('how does rate limiting work here', 'explain'),
  c('where do we validate passwords', 'question'),
  c('why does the login form crash on submit', 'question', ['src/components/LoginForm.tsx']),
  c('rename the billing module to invoices', 'refactor', ['src/billing.py']),
  c('delete the old migration', 'implement'),
  c('write a unit test for the date formatter', 'test'),
  c('update the readme with the new setup steps', 'implement', ['README.md']),
  c('commit with message add pagination to users', 'commit', [], false, 'add pagination to users'),
  c('commit with message fix typo in readme', 'commit', [], false, 'fix typo in readme'),
  c('push the changes', 'push'),
  c('push it', 'push'),
  c('yeah', 'confirm'),
  c('sure', 'confirm'),
  c('no thanks', 'deny'),
  c('abort', 'cancel'),
  c('what did you change', 'what_changed'),
  c('show me what you changed', 'what_changed'),
  c('run the tests in test payments dot py again', 'run_tests', ['tests/test_payments.py']),
  c('run test payments dot py', 'run_tests', ['tests/test_payments.py']),
  c('do the tests pass', 'run_tests'),
  c('explain the architecture of this project', 'explain', ['docs/architecture.md']),
  c('tell me about the billing module', 'explain', ['src/billing.py']),
  c('what does the logger do', 'explain', ['src/utils/logger.ts']),
  c('is the deploy script safe to run', 'question', ['scripts/deploy.sh']),
  c('review the login form for security issues', 'review', ['src/components/LoginForm.tsx']),
  c('add logging to the checkout service, execute', 'implement', ['src/services/checkout.ts'], true),
  c('fix the flaky test in test user auth dot py, go ahead', 'fix_bug', ['tests/test_user_auth.py'], true),
  c('refactor the date formatter to use the standard library, do it', 'refactor', [], true),
  c('explain rate limit dot t s, send it', 'explain', ['src/api/middleware/rate_limit.ts'], true),
  c('add more logging to server dot t s', 'implement', ['src/server.ts']),
  c('the build is broken', 'fix_bug'),
  c('tell me a joke', 'question'),
  c('that looks good', 'confirm'),
  c('list the files in the docs folder', 'list_files'),
  c('show me the user model', 'show_file', ['src/models/user.ts']),
  c('open the conftest', 'show_file', ['tests/conftest.py']),
  c('move the date helpers into utils', 'refactor'),
  c('clean up the nav bar component', 'refactor', ['src/components/NavBar.tsx']),
];

/** espeak-ng voices and speeds the tests rotate through. */
export const VOICES: ReadonlyArray<{ voice: string; speed: number }> = [
  { voice: 'en-us', speed: 150 },
  { voice: 'en-gb', speed: 150 },
  { voice: 'en-us+f3', speed: 140 },
  { voice: 'en-us', speed: 130 },
  { voice: 'en-us+m3', speed: 170 },
];
