/**
 * A FRESH evaluation set for the voice bench (`--phrases fresh`), written on 2026-12-02 before
 * any grammar or phrasing change of that round, from sources NOT used for the first evaluation
 * half (bench/voice/evaluation-phrases.ts) nor for the phrasings in
 * src/voice/vocabulary/command-phrases.ts. It must never be used to design the grammar, the
 * phrasings or the thresholds: tuning uses test/voice/sample-project.ts only. No phrase is one
 * the command grammar can produce word for word (test/voice/fresh-evaluation-split.test.ts).
 *
 * Each phrase says where its wording comes from:
 *  [AG] Aider docs, "Git integration" and "In-chat commands" (aider.chat/docs/git.html,
 *       aider.chat/docs/usage/commands.html, aider.chat/docs/commands.html): "/undo … undo any AI
 *       changes you don't like", "undo and discard the last change", "undo the last git commit",
 *       "/commit … commit all dirty changes", "/diff … show all the file changes", "/ls list all
 *       known files", "/lint lint and fix", "/ask ask questions about the code base".
 *  [AR] Aider README example chat: "change the fibonacci function from recursion to iteration".
 *  [CX] OpenAI Codex CLI, docs/getting-started.md (github.com/openai/codex): "fix lint errors",
 *       "explain utils.ts", "explain this codebase to me", "Refactor the Dashboard component to
 *       React Hooks", "Generate SQL migrations for adding a users table", "Write unit tests for
 *       utils/date.ts", "Bulk-rename *.jpeg -> *.jpg", "Explain what this regex does", "Carefully
 *       review this repo", "Look for vulnerabilities and create a security review report".
 *  [CQ] A Codex quick reference (joshband/monument-reverb docs/codex/Quick_Reference.md): "Make a
 *       plan and wait for approval", "Implement the change and run tests", "Give me a code review
 *       with risks and missing tests", "Summarize changes and list modified files".
 *  [SL] Agent CLIs' slash-command lists (FoysalAhammad/agent24 wiki "Commands": "/undo · /redo
 *       undo / redo the last tracked file change", "/test run the project's test suite";
 *       Sahaj-Tech-ltd/overkill wiki "commands": "/status show provider, model, session"; Citrix
 *       Knowledge Worker Agent "Slash commands": "/diff … summarize the changes").
 *  [AP] Approval threads: cline/cline#10783 ("Reject" and "Accept" buttons),
 *       anthropics/claude-code#38754 (answering a permission prompt by voice: "yes", "allow",
 *       "deny"), anthropics/claude-code#46031 and MoonshotAI/kimi-cli#1506 (Approve / Skip / Deny),
 *       microsoft/vscode#311414 ("Approve and Implement"), cline/cline#13814 ("Resume task", cancel).
 *  [VI] Voice-input requests for Claude Code: anthropics/claude-code#65057 ("explain a bug,
 *       request a refactor, ask a question"), #61574 (responses "read aloud"), #43466 ("say no to
 *       re-record"), and mbechauf/voice-claude#3 ("a spoken yes first", "throw the whole lot away").
 *  [TC] Talon terminal git commands: talonhub/community apps/generic_terminal/generic_terminal.talon
 *       ("git commit all", "git push origin head", "git log") and blakewatson/talon-scripts
 *       apps/terminal.talon ("get commit" → `git commit -m ""`, "get push").
 *  [SC] Supercode voice commands docs (supercode.sh/how-it-works/voice-commands): "test project",
 *       "run tests", and that people say "slightly different versions of the phrase or synonyms".
 *  [VG] A VS Code voice extension's git command table (code search excerpt, repository not named):
 *       "commit changes with message {message}", "commit {message}".
 *  [VB] bhadrik/Voice-Coding README command table: "stop", "undo", "clear".
 *
 * Spoken as people say paths ("date format dot t s"); `message` is the commit message expected.
 */
import { sourced as c, type SourcedCommand } from './sourced-command.js';

const DATE_FORMAT = 'src/utils/date_format.ts';
const NAV_BAR = 'src/components/NavBar.tsx';
const LOGIN_FORM = 'src/components/LoginForm.tsx';
const CHECKOUT = 'src/services/checkout.ts';

/** Fresh held-out commands: never used to design the grammar, phrasings or thresholds. */
export const FRESH_EVALUATION_COMMANDS: readonly SourcedCommand[] = [
  // Answers to a waiting approval and session controls.
  c('AP', 'accept', 'confirm'),
  c('AP', 'allow it', 'confirm'),
  c('AP', 'yes, allow', 'confirm'),
  c('AP', 'approve and implement', 'confirm'),
  c('CQ', 'yes, go with the plan', 'confirm'),
  c('AP', 'reject that', 'deny'),
  c('AP', 'deny that', 'deny'),
  c('AP', 'skip this one', 'deny'),
  c('AP', "no, don't allow it", 'deny'),
  c('AP', 'cancel the task', 'cancel'),
  c('VB', 'hold on, stop', 'cancel'),
  c('AP', 'cancel it', 'cancel'),
  c('SL', 'show the status', 'status'),
  c('VI', 'read that back to me', 'repeat'),
  c('VI', 'say it again', 'repeat'),
  // Undo, redo, push, commit.
  c('AG', 'undo the last commit', 'undo'),
  c('AG', 'undo the changes you made', 'undo'),
  c('AG', 'discard the last change', 'undo'),
  c('VI', 'throw that change away', 'undo'),
  c('SL', 'redo the last file change', 'redo'),
  c('SL', 'redo your last edit', 'redo'),
  c('TC', 'git push origin head', 'push'),
  c('TC', 'push the branch', 'push'),
  c('TC', 'push my commits', 'push'),
  c('AG', 'commit all the changes', 'commit'),
  c('TC', 'git commit all', 'commit'),
  c('AG', 'commit the dirty changes', 'commit'),
  c(
    'VG',
    'commit changes with message add a retry to checkout',
    'commit',
    [],
    false,
    'add a retry to checkout',
  ),
  c('AG', 'commit with a message saying fix the date parsing', 'commit', [], false, 'fix the date parsing'),
  c('TC', 'git commit, message update the readme', 'commit', [], false, 'update the readme'),
  c(
    'VG',
    'commit fix the null check in the user model',
    'commit',
    [],
    false,
    'fix the null check in the user model',
  ),
  // Direct: tests, files, what changed.
  c('SC', 'test project', 'run_tests'),
  c('SL', "run the project's test suite", 'run_tests'),
  c('CQ', 'run the tests and tell me what fails', 'run_tests'),
  c('CX', 'run the user auth tests', 'run_tests', ['tests/test_user_auth.py']),
  c('AG', 'show the diff', 'what_changed'),
  c('SL', 'summarize the changes', 'what_changed'),
  c('CQ', 'list the modified files', 'what_changed'),
  c('AG', 'list all known files', 'list_files'),
  c('AG', 'show me the files in the tests folder', 'list_files'),
  c('VI', 'let me see the dockerfile', 'show_file', ['Dockerfile']),
  c('TC', 'print the contents of tsconfig dot json', 'show_file', ['tsconfig.json']),
  c('AG', 'pull up the logger', 'show_file', ['src/utils/logger.ts']),
  c('CX', 'show me the deploy script', 'show_file', ['scripts/deploy.sh']),
  // Changes by the model.
  c('AR', 'change the date formatter from a class to plain functions', 'refactor', [DATE_FORMAT]),
  c('CX', 'refactor the nav bar component to use react hooks', 'refactor', [NAV_BAR]),
  c('CX', 'generate unit tests for date format dot t s', 'test', [DATE_FORMAT]),
  c('CX', 'generate a sql migration for adding a users table', 'implement'),
  c('CX', 'fix lint errors', 'fix_bug'),
  c('CQ', 'implement the change and run the tests', 'implement'),
  c('AG', 'lint and fix the changed files', 'fix_bug'),
  c('CX', 'rename the jpeg files to jpg', 'refactor'),
  c('VI', 'fix the bug where login fails with an empty password', 'fix_bug'),
  c('CX', 'add docstrings to billing dot py', 'implement', ['src/billing.py']),
  c('VI', 'make the checkout service retry failed payments', 'implement', [CHECKOUT]),
  c('CX', 'update the dockerfile to use node twenty', 'implement', ['Dockerfile']),
  c('VI', 'add a health check endpoint to server dot t s, go ahead', 'implement', ['src/server.ts'], true),
  c('VI', 'fix the off by one error in the pagination, do it', 'fix_bug', [], true),
  c('CX', 'write tests for the rate limiter, execute', 'test', ['src/api/middleware/rate_limit.ts'], true),
  c('CX', 'split main dot py into smaller functions, proceed', 'refactor', ['main.py'], true),
  c('CX', 'generate tests for the checkout service', 'test', [CHECKOUT]),
  c('AR', 'change the logger to write json lines', 'implement', ['src/utils/logger.ts']),
  // Reading, explaining, reviewing, questions.
  c('CX', 'explain this codebase to me', 'explain'),
  c('CX', 'explain what this regex does', 'explain'),
  c('CX', 'look for vulnerabilities and write a security report', 'review'),
  c('CX', 'carefully review this repo', 'review'),
  c('CQ', 'give me a code review with risks and missing tests', 'review'),
  c('AG', 'how does billing dot py compute the totals', 'explain', ['src/billing.py']),
  c('VI', 'explain the bug in the login form', 'explain', [LOGIN_FORM]),
  c('AG', 'where is the database schema defined', 'question'),
  c('CX', 'what does the deploy script do', 'explain', ['scripts/deploy.sh']),
  c('AG', 'which files import the logger', 'question', ['src/utils/logger.ts']),
  c('AG', 'is the checkout service thread safe', 'question', [CHECKOUT]),
  c('CQ', 'summarize what this project does', 'explain'),
  c('VI', 'why do the payment tests fail', 'question', ['tests/test_payments.py']),
  c('AG', 'how do i deploy this', 'question'),
  c('VI', 'what is a closure in javascript', 'question'),
  c('CQ', 'review the changes before i commit', 'review'),
  c('CX', 'explain the c i workflow, go ahead', 'explain', ['.github/workflows/ci.yml'], true),
  c('CQ', 'review the billing module, execute', 'review', ['src/billing.py'], true),
];
