/**
 * The voice bench's EVALUATION half: spoken commands written from how developers talk to coding
 * assistants and voice tools elsewhere, before any tuning of Ralex's grammar, phrasings or
 * thresholds, and never used to design them (the tuning half is `SAMPLE_COMMANDS` in
 * test/voice/sample-project.ts). Each phrase is instantiated over the sample project's files and
 * says where its wording comes from:
 *
 *  [CC] Claude Code docs, "Common workflows" (docs.anthropic.com/en/docs/claude-code/common-workflows):
 *       overview questions, finding files, sharing errors, refactoring, tests, summaries.
 *  [HN] Happy Next voice agent, "Voice usage" (docs.happy-next.com/voice/usage): example voice commands
 *       forwarded to a coding agent, session status, approving a permission request.
 *  [VA] voice-agent, "Voice Commands" guide (paolino.github.io/voice-agent/guides/voice-commands/):
 *       permission words (yes/approve/ok/continue/go ahead/no/reject/stop/cancel), "list files",
 *       "show me the readme", "find all python files", "fix the bug in main.py", "create a new file called …".
 *  [SE] Sesori, "Talking to a codebase: notes from a week of voice sessions" (sesori.com/blog/talking-to-a-codebase):
 *       "no, undo that, try the other thing", "pull the validation into its own function", "add a test".
 *  [JV] Jarvis, "Voice coding on Mac" (jarvis.ceo/voice-coding-mac): "save and run tests", "rename this to currentUser".
 *  [EF] Early Frontier, "Codebase understanding" workflow (earlyfrontier.com/workflows/claude-code/codebase-understanding):
 *       "walk me through what happens when a user logs in", entry points, dependencies.
 *  [TL] Talon community command set (github.com/talonhub/community, git commands) and a user's
 *       Talon file (Kamholtz/community, "nope"/"yep"): "git status", "git commit", "git push".
 *  [CP] public CLAUDE.md / command files of Claude Code users: "commit and push", "quick commit: fixed bug in parser",
 *       "Add request retry logic to the API client".
 *  [IS] issue 16's own examples of failures: "walk me through payment api dot ts", "push my changes",
 *       "run test auth dot py", "commit with message …", "the payment api", "refactor payment api dot ts to
 *       use async await", "what is the capital of France".
 *
 * Spoken as people say paths ("payment api dot t s"); `message` is the commit message expected.
 */
import { sourced as c, type SourcedCommand } from './sourced-command.js';

const PAYMENT_API = 'src/api/payment_api.ts';
const NOTIFICATIONS = 'src/services/notification_service.ts';
const REGISTRATION = 'src/api/routes/user_registration.ts';
const USER_MODEL = 'src/models/user.ts';

/** Held-out commands (the evaluation half). */
export const EVALUATION_COMMANDS: readonly SourcedCommand[] = [
  // Answers to a waiting approval and session controls, said alone.
  c('VA', 'okay', 'confirm'),
  c('VA', 'continue', 'confirm'),
  c('VA', 'go ahead', 'confirm'),
  c('HN', 'approve the permission request', 'confirm'),
  c('TL', 'yep', 'confirm'),
  c('VA', 'reject', 'deny'),
  c('TL', 'nope', 'deny'),
  c('VA', 'stop it', 'cancel'),
  c('VA', 'never mind', 'cancel'),
  c('HN', "what's the current session status", 'status'),
  c('VA', 'status', 'status'),
  c('HN', 'read me the latest response', 'repeat'),
  c('VA', 'what did you say', 'repeat'),
  c('SE', 'no, undo that', 'undo'),
  c('SE', 'undo the last change', 'undo'),
  c('TL', 'redo the last change', 'redo'),
  // Git.
  c('IS', 'push my changes', 'push'),
  c('TL', 'git push', 'push'),
  c('TL', 'git status', 'what_changed'),
  c('TL', 'git commit', 'commit'),
  c('IS', 'commit with message fix the login redirect', 'commit', [], false, 'fix the login redirect'),
  c(
    'CP',
    'commit with message add retry to the payment api',
    'commit',
    [],
    false,
    'add retry to the payment api',
  ),
  c('CP', 'commit the changes with message update the docs', 'commit', [], false, 'update the docs'),
  c('CC', 'show me what changed', 'what_changed'),
  c('CC', 'what did you do', 'what_changed'),
  // Tests.
  c('IS', 'run test user auth dot py', 'run_tests', ['tests/test_user_auth.py']),
  c('IS', 'run test payments dot py', 'run_tests', ['tests/test_payments.py']),
  c('JV', 'save and run tests', 'run_tests'),
  c('CC', 'run the tests again', 'run_tests'),
  c('CC', 'are the tests passing', 'run_tests'),
  c('CC', 'run the tests, go ahead', 'run_tests', [], true),
  // Files.
  c('VA', 'show me the readme', 'show_file', ['README.md']),
  c('IS', 'open the payment api', 'show_file', [PAYMENT_API]),
  c('VA', 'list files in source slash api', 'list_files'),
  c('VA', 'list all the files', 'list_files'),
  c('VA', 'open main dot py', 'show_file', ['main.py']),
  c('CC', 'show me the notification service', 'show_file', [NOTIFICATIONS]),
  c('VA', "what's in settings dot py", 'show_file', ['src/config/settings.py']),
  // Changes (the model edits inside a checkpoint).
  c('HN', 'refactor the authentication module to use jason web tokens', 'refactor'),
  c('HN', 'write tests for the user registration endpoint', 'test', [REGISTRATION]),
  c('VA', 'fix the bug in main dot py', 'fix_bug', ['main.py']),
  c('VA', 'create a new file called helpers dot py', 'implement'),
  c('SE', 'add a test', 'test'),
  c('SE', 'pull the validation into its own function', 'refactor'),
  c('CC', 'refactor utils dot j s to use modern javascript', 'refactor', ['src/legacy/utils.js']),
  c('CC', 'add comments to the functions in logger dot t s', 'implement', ['src/utils/logger.ts']),
  c('CC', 'update user dot t s to add a null check', 'implement', [USER_MODEL]),
  c('IS', 'refactor payment api dot t s to use async await', 'refactor', [PAYMENT_API]),
  c('CC', 'add test cases for edge conditions in the notification service', 'test', [NOTIFICATIONS]),
  c('JV', 'rename this to current user', 'refactor'),
  c('CP', 'add retry logic to the payment api, execute', 'implement', [PAYMENT_API], true),
  c('CC', 'write tests for billing dot py, go ahead', 'test', ['src/billing.py'], true),
  c('CC', 'fix the crash in checkout dot t s, do it', 'fix_bug', ['src/services/checkout.ts'], true),
  c('HN', 'refactor the notification service, send it', 'refactor', [NOTIFICATIONS], true),
  c('CC', 'fix the type error in user dot t s, proceed', 'fix_bug', [USER_MODEL], true),
  c('CC', 'add pagination to users dot t s, make it happen', 'implement', ['src/api/routes/users.ts'], true),
  c('HN', 'fix the bug in payment api dot t s', 'fix_bug', [PAYMENT_API]),
  c('CC', 'fix the failing tests', 'fix_bug'),
  c('CC', 'fix the lint errors', 'fix_bug'),
  // Reading, explaining, reviewing, questions (the model reads, changes nothing).
  c('IS', 'walk me through payment api dot t s', 'explain', [PAYMENT_API]),
  c('EF', 'walk me through what happens when a user logs in', 'explain'),
  c('HN', 'explain what the sync function does', 'explain'),
  c('CC', 'give me an overview of this code base', 'explain'),
  c('CC', 'explain the main architecture', 'explain'),
  c('HN', 'explain the notification service', 'explain', [NOTIFICATIONS]),
  c('CC', 'how is authentication handled', 'question'),
  c('CC', 'what are the key data models', 'question'),
  c('VA', 'what does main dot py do', 'explain', ['main.py']),
  c('CC', 'trace the login process from the front end to the database', 'explain'),
  c('CC', 'why is billing dot py so slow', 'question', ['src/billing.py']),
  c('CC', 'is there a bug in the payment api', 'question', [PAYMENT_API]),
  c('CC', 'review the payment api', 'review', [PAYMENT_API]),
  c('CC', 'can you review my changes', 'review'),
  c('CC', 'find the files that handle user authentication', 'question'),
  c('EF', 'what are the main entry points to this application', 'question'),
  c('VA', 'find all python files', 'question'),
  c('CC', 'explain schema dot py, execute', 'explain', ['src/db/schema.py'], true),
  c('CC', 'review checkout dot t s, go ahead', 'review', ['src/services/checkout.ts'], true),
  c('IS', 'what is the capital of france', 'question'),
  c('CC', 'how do i run the app locally', 'question'),
  c('EF', 'what are the main dependencies of this project', 'question'),
];
