import type { Intent } from '../../command/parsed-command.js';

/**
 * How people say Ralex commands, as JSGF-like patterns per intent: `(a | b)` alternatives, `[a]`
 * optional, `<file>` / `<folder>` the project's spoken paths, `<feature>` one of FEATURES,
 * `<words>` a free run of words (commit messages). Every expansion must parse to its intent
 * (tested). The phrasings come from Ralex's own examples and from how developers talk to coding
 * assistants and voice tools elsewhere (Claude Code's "Common workflows", voice agents' command
 * guides, Talon's git commands): "walk me through …", "run <test file>", "push my changes",
 * "git status", "okay" / "continue" / "nope" as answers, "open the <name>" for a file by its name.
 */
export interface Phrasing {
  intent: Intent;
  pattern: string;
}

const p = (intent: Intent, ...patterns: string[]): Phrasing[] =>
  patterns.map((pattern) => ({ intent, pattern }));

/** Control words that must be understood alone and reliably (issue 5, item 5). */
export const CONTROL_PHRASES = [
  'confirm',
  'approve',
  'cancel',
  'deny',
  'stop',
  'undo that',
  'repeat',
  'what changed',
] as const;

/** Auto-submit endings, the parse stage's own list (so the recogniser hears exactly what parse strips). */
export { TRIGGER_PHRASES } from '../../command/spoken/trigger-endings.js';

/** Short replies and control commands said on their own (never with a trigger ending). */
export const CONTROL: readonly Phrasing[] = [
  ...p(
    'confirm',
    'confirm [that]',
    'approve [it]',
    'approved',
    'yes',
    'yeah',
    'yep',
    'okay',
    'go ahead',
    'continue',
  ),
  ...p('confirm', 'approve the (request | permission request)'),
  ...p('deny', 'deny [it]', 'no', 'nope', 'reject [it]', 'no thanks'),
  ...p('cancel', 'cancel [that]', 'stop [it | that]', 'never mind', 'abort'),
  ...p('undo', 'undo [that | it | the last change]', 'revert that', 'roll back'),
  ...p('redo', 'redo [that | it | the last change]'),
  ...p(
    'repeat',
    'repeat [that]',
    'say that again',
    'what did you say',
    'read me the (last | latest) (response | answer)',
  ),
  ...p(
    'what_changed',
    'what changed',
    'what did you (change | do)',
    'git (status | diff)',
    'show me what changed',
  ),
  ...p('status', 'status', "(what is | what's) the [current] [session] status", 'what are you doing'),
  ...p('push', 'push [it | the changes | my changes]', 'git push', 'push [the | my] changes to origin'),
  ...p('commit', 'commit [it | the changes | my changes]', 'git commit'),
];

/** Requests without a slot; they may end with a trigger phrase. */
export const PLAIN: readonly Phrasing[] = [
  ...p('run_tests', 'run [all] the tests [again]', 'run the (unit | integration) tests', 'run tests'),
  ...p('run_tests', 'are the tests passing', 'do the tests pass', 'run the test suite'),
  ...p('what_changed', 'show me the (diff | changes)'),
  ...p('list_files', 'list [all] [the] files'),
  ...p('review', 'review [the | my] changes', 'review the diff'),
  ...p('fix_bug', 'fix the (failing | broken) tests', 'fix the (lint | type) errors', 'fix the build'),
  ...p('test', '(add | write) [a] test', '(add | write) [some] tests'),
  ...p('explain', 'explain the [main] (architecture | code base | project)'),
  ...p('explain', 'give me an overview of (this | the) (code base | project)'),
];

/** Requests ending in a free message (`<words>`). */
export const MESSAGE: readonly Phrasing[] = [
  ...p('commit', 'commit [the changes] with [the] message <words>'),
];

/**
 * Requests naming a file: `<file>` any project file, `<test_file>` a test file. What follows the
 * name ("… works", "… do") is optional in the grammar, shared by all of them.
 */
export const FILE: readonly Phrasing[] = [
  ...p('run_tests', 'run the tests (in | for) <file>', 'run <test_file>'),
  ...p(
    'show_file',
    '(show | show me | read | open | display | print) [the] [file] <file>',
    "what's in <file>",
  ),
  ...p('fix_bug', 'fix the (failing | broken) (test | tests) in <file>'),
  ...p(
    'fix_bug',
    'fix the (bug | error | crash | type error | lint errors) in <file>',
    '(fix | debug) <file>',
  ),
  ...p('test', '(add | write) [unit] tests for <file>', 'add test cases for <file>'),
  ...p('implement', '(add | implement) <feature> (to | in) <file>', 'update <file>'),
  ...p('refactor', 'refactor [the] <file>', 'refactor <feature> in <file>', 'clean up <file>'),
  ...p('explain', 'explain [how] [the] <file> [works]', 'walk me through [the] <file>'),
  ...p('explain', 'what does [the] <file> do', 'how does [the] <file> work'),
  ...p('question', 'why is <file> (slow | failing | broken)'),
  ...p('review', 'review [the] <file>'),
];

/** Requests naming a folder (`<folder>`). */
export const FOLDER: readonly Phrasing[] = [
  ...p('list_files', 'list [the] files in <folder>', 'what files are in <folder>'),
];

/**
 * Model requests in free words, for the open language model only (the grammar keeps exact
 * phrasings): `<words>` stands for a few words ("to use async await", "the login process").
 */
export const OPEN_REQUESTS: readonly Phrasing[] = [
  ...p(
    'refactor',
    'refactor <file> to <words>',
    'refactor the <words>',
    'rename <words>',
    'pull the <words> into its own (function | module | file)',
  ),
  ...p(
    'implement',
    'add <words> to <file>',
    'update <file> to <words>',
    'create a new file called <words>',
    'add <words>',
  ),
  ...p('fix_bug', 'fix the <words> in <file>', 'fix the <words>'),
  ...p('test', 'write tests for the <words>', 'add test cases for <words>'),
  ...p(
    'explain',
    'walk me through <words>',
    'explain <words>',
    'explain what the <words> does',
    'trace the <words>',
  ),
  ...p(
    'question',
    'how (is | are | do | does) <words>',
    'what (is | are) the <words>',
    'where is the <words>',
  ),
  ...p(
    'question',
    'why is <file> <words>',
    'is there a <words> in <file>',
    'find <words>',
    'can you <words>',
  ),
];

/** Things people add to a file, for "add <feature> to <file>" (a closed list keeps the grammar exact). */
export const FEATURES = [
  '[input] validation',
  '[error] handling',
  'logging',
  'retry',
  'retries',
  'caching',
  'types',
  'type hints',
  'comments',
  'docs',
  'documentation',
  'tests',
  'a test',
  'a timeout',
  'rate limiting',
  'pagination',
  'authentication',
  'dark mode',
  'a new endpoint',
  'a function',
  'a method',
  'a class',
];

/** Common words for free slots (commit messages, feature names); the project's own names are added. */
export const FREE_WORDS = `a an the and or of to for in on with from by at as is it this that new old more less
add added adds remove removed update updated fix fixed fixes bug bugs error errors crash issue typo
test tests testing unit integration check checks lint format formatting style clean cleanup
refactor rename move split merge extract inline simplify improve improved faster slow speed performance
function functions method methods class classes module modules file files folder type types interface
variable variables constant config configuration option options setting settings default defaults
input output validation validate handling handler handlers logging log logs message messages
user users auth authentication login logout session sessions token tokens password passwords
api endpoint endpoints route routes request requests response responses server client http
database query queries cache caching model models schema schemas migration migrations data
error handling retry retries timeout timeouts limit limits rate page pages view views button form
docs documentation readme comment comments example examples support dependency dependencies version
initial first release build script scripts deploy deployment pipeline ci workflow workflows
parser parse parsing command commands voice audio text string strings number numbers list lists
null empty missing invalid wrong edge case cases guard check date time support dark mode redirect
async await promise callback hook state store event events payment payments notification notifications`;
