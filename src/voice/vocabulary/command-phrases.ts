/**
 * How people say Ralex commands, as JSGF rule bodies. `<file>` and `<folder>` are the project's
 * spoken paths, `<words>` a free run of common coding words (commit messages, feature names).
 * Keep phrasings in step with the parse stage: every line here must parse to its intent.
 */

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
export { TRIGGER_PHRASES } from '../../pipeline/parse/trigger-endings.js';

/** Short replies and control commands said on their own. */
export const CONTROL_RULE = [
  ...CONTROL_PHRASES,
  'confirm that',
  'approve it',
  'approved',
  'yes',
  'no',
  'cancel that',
  'stop that',
  'deny it',
  'reject',
  'undo',
  'undo the last change',
  'redo',
  'redo that',
  'repeat that',
  'say that again',
  'what did you change',
  'status',
  'what is the status',
  'push',
  'push the changes',
];

/** Requests without a slot; they may end with a trigger phrase. */
export const PLAIN_REQUESTS = [
  'run [all] the tests',
  'run the (unit | integration) tests',
  'show me the (diff | changes)',
  'list [all] [the] files',
  'commit [the changes]',
  'push [the changes] to origin',
  'review [the | my] changes',
];

/** Requests ending in a free message (`<words>`). */
export const MESSAGE_REQUESTS = ['commit [the changes] with [the] message'];

/** What comes before a spoken file name. `<feature>` is one of FEATURES. */
export const FILE_REQUESTS = [
  'run the tests (in | for)',
  '(show | show me | read | open | display | print) [the file]',
  'fix the (failing | broken) (test | tests) in',
  'fix the (bug | error | crash | type error | lint errors) in',
  'fix',
  '(add | write) [unit] tests for',
  '(add | implement) <feature> (to | in)',
  'create a new file called',
  'refactor',
  'refactor <feature> in',
  'clean up',
  'explain [how]',
  '(what does | why is)',
  'review',
];

/** What may follow a file name ("explain how X works", "what does X do", "why is X slow"). */
export const FILE_TAILS = ['works', 'do', 'slow', 'failing', 'broken'];

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

/** What comes before a spoken folder name. */
export const FOLDER_REQUESTS = ['list [the] files in', 'what files are in'];

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
null empty missing invalid wrong edge case cases guard check date time support dark mode`;
