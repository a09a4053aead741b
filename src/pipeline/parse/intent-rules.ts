import type { Intent } from '../../command/parsed-command.js';

/**
 * The intent rules, as data. Order is precedence: the first rule that matches wins.
 * 1. control words said alone ("stop", "yes", "undo that"), 2. direct commands with a fixed
 * shape ("commit with message …", "run the tests"), 3. model work by the leading verb
 * ("fix …", "write tests …", "explain …"), 4. keywords anywhere ("… is broken"), 5. questions.
 * Anything else is a `question` (the safe, read-only default). So "fix the failing test" is
 * fix_bug (led by "fix"), "explain what changed" is explain, "what changed in app.ts" is what_changed.
 */

/** One intent rule. */
export interface IntentRule {
  intent: Intent;
  /** Tested against the request in lowercase, with , ; : ! dropped and "?" kept as a word. */
  pattern: RegExp;
  /** Only when the command names at least one file (resolved or not). */
  needsFile?: boolean;
  /** Intent arguments: from the match, and from the request in its original case. */
  args?: (match: RegExpExecArray, request: string) => Record<string, string>;
}

/** A whole utterance: one of the alternatives, optionally with "please"/"now" and a question mark. */
const whole = (alternatives: string) => new RegExp(`^(?:${alternatives})(?: please| now| thanks)?(?: \\?)?$`);
const slug = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
/** `{ key: value }`, or `{}` when there is no value. */
const only = (key: string, value: string | undefined): Record<string, string> =>
  value ? { [key]: value } : {};
const COMMIT_MESSAGE =
  /^(?:git\s+)?commit\b(?:\s+(?:all|everything|the|my|these|those|changes|this|it|that|fix|files?|work))*(?:[\s,]+(?:with\s+)?(?:the\s+|a\s+)?(?:commit\s+)?(?:message|msg)\b|[\s,]+saying\b|\s*:|\s+-m\b)\s*[:,]?\s*(.+)$/i;

/** Intent rules in precedence order. */
export const INTENT_RULES: readonly IntentRule[] = [
  // 1. Control words, said alone.
  {
    intent: 'cancel',
    pattern: whole(
      'cancel(?: it| that| this)?|stop(?: it| that| this| everything| now| (?:the )?(?:tests?|run|command|agent))?|abort(?: it| that)?|halt|never ?mind|forget (?:it|that)|kill it|(?:no )?wait|hold on|hang on',
    ),
  },
  {
    intent: 'deny',
    pattern: whole(
      "no|nope|nah|deny(?: it| that)?|denied|reject(?: it| that)?|rejected|decline|do not|don't|no don't|no thanks|no thank you|don't do (?:it|that)",
    ),
  },
  {
    intent: 'confirm',
    pattern: whole(
      'yes|yeah|yep|yup|sure|confirm(?:ed)?(?: it| that)?|approve(?:d)?(?: it| that| (?:the|this) (?:request|permission|permission request))?|accept|ok|okay|lgtm|(?:that |this |it |all )?(?:looks|sounds) (?:good|great|fine|right)|continue|(?:yes |ok |okay )?(?:do it|go ahead|go for it|proceed|execute|send it|run it|apply it|make it happen)|yes (?:please|confirm|approve)',
    ),
  },
  {
    intent: 'repeat',
    pattern: whole(
      'repeat(?: that| it| please)?|say (?:that|it) again|come again|pardon|what did you say|what was that|again|read (?:me )?(?:the |your )?(?:last|latest) (?:response|answer|reply|message)',
    ),
  },
  {
    intent: 'status',
    pattern: whole(
      "status|what are you doing|what(?:'s| is) (?:going on|happening|(?:the |your )?(?:current )?(?:session )?status)|are you (?:done|busy|working|finished)(?: yet)?|how(?:'s| is) it going|progress|show (?:me )?(?:the )?status",
    ),
  },
  { intent: 'undo', pattern: /^undo\b/ },
  {
    intent: 'undo',
    pattern: whole(
      '(?:revert|roll ?back|take back)(?: that| it| this| the last (?:change|changes|commit|command|edit|one))?',
    ),
  },
  { intent: 'redo', pattern: /^redo\b/ },
  {
    intent: 'push',
    pattern:
      /^(?:git )?push(?: (?:it|that|this|everything|changes|the changes|the commits?|the branch|my (?:changes|commits?|branch)|to (?:origin|remote|github|the remote|main|master|the main branch)|origin|upstream|main|master))*(?: \?)?$/,
  },
  // 2. Direct commands with a fixed shape.
  {
    intent: 'commit',
    pattern: /^(?:git )?commit\b/,
    args: (_m, request) => {
      const message = COMMIT_MESSAGE.exec(request)?.[1]
        ?.trim()
        .replace(/^["'“‘`](.*)["'”’`]$/s, '$1')
        .trim();
      return only('message', message);
    },
  },
  {
    intent: 'workflow',
    pattern:
      /^(?:run|start|execute|trigger|launch|do) (?:the |a )?(?:workflow (?:called |named )?(.+)|(.+?) workflow)$/,
    args: (m) => ({ workflow: slug(m[1] ?? m[2] ?? '') }),
  },
  {
    intent: 'workflow',
    pattern:
      /^(?:get ready|prepare|prep)(?: (?:for|a|the))* (code review|release|deploy(?:ment)?|pull request|pr|merge|review)$/,
    args: (m) => ({ workflow: slug(m[1]!) }),
  },
  {
    intent: 'run_tests',
    pattern:
      /^(?:re-?run|run|execute|start|launch|kick off) (?:(?:all|the|my|our|every|of) )*(?:(?:unit|integration|e2e|failing|failed|broken|python|js|node) )?(?:tests?|specs?|test suite|suite|testsuite)(?: again)?(?: (?:in|for|on|of|from) (.+?))?(?: again)?$/,
    args: (m) => only('filter', m[1]),
  },
  {
    intent: 'run_tests',
    pattern:
      /^(?:re-?run|run|execute) (?:the |all the |all |my )?(\S+(?: \S+){0,3}?) (?:tests?|specs?)(?: again)?$/,
    args: (m) => only('filter', m[1]),
  },
  // "run test user auth dot py": a test file named after "run" (its path is in the request by now).
  {
    intent: 'run_tests',
    pattern:
      /^(?:re-?run|run|execute) ((?:\S+\/)?(?:tests?\/\S+|test_[\w.-]+|[\w.-]+_test\.\w+|[\w.-]+\.(?:test|spec)\.\w+))(?: again)?$/,
    needsFile: true,
    args: (m) => ({ filter: m[1]! }),
  },
  { intent: 'run_tests', pattern: /^(?:npm|yarn|pnpm|bun) (?:run )?test\b|^(?:pytest|vitest|jest)\b/ },
  { intent: 'run_tests', pattern: /^test (?:it|that|this|everything|again)(?: again)?$/ },
  {
    intent: 'run_tests',
    pattern:
      /^(?:do|are|did) (?:the |all the |all )?tests? (?:pass|passing|still pass|green)|^(?:check|see) (?:if|whether) (?:the )?tests? pass/,
  },
  {
    intent: 'what_changed',
    pattern:
      /^(?:what(?:'s| has| have)? (?:changed|changes)|what did you (?:change|do|modify|touch)|(?:show|give|tell)(?: me)? (?:the |a |my )?(?:diff|changes|summary of (?:the )?changes|what changed|what you changed)|(?:git )?diff|git status|what(?:'s| is) (?:different|modified|the diff)|(?:list|show)(?: me)? (?:the )?(?:changed|modified) files|any changes|which files (?:changed|did you change)|what files (?:changed|did you change))\b/,
  },
  {
    intent: 'list_files',
    pattern:
      /^(?:list|show(?: me)?|what are|give me)(?: all)?(?: of)?(?: the)? files(?: (?:are there|there are))?(?: (?:in|under|inside|within) (?:the )?(.+?))?(?: folder| directory| dir)?(?: \?)?$/,
    args: (m) => only('path', m[1]),
  },
  {
    intent: 'list_files',
    pattern:
      /^what(?: files| else)? (?:is|are) (?:there )?(?:in|under|inside) (?:the )?(.+?)(?: folder| directory| dir)(?: \?)?$/,
    args: (m) => ({ path: m[1]! }),
  },
  {
    intent: 'list_files',
    pattern:
      /^what files are (?:there )?(?:in|under|inside) (?:the )?(.+?)(?: folder| directory| dir)?(?: \?)?$/,
    args: (m) => ({ path: m[1]! }),
  },
  {
    intent: 'list_files',
    pattern: /^(?:list|show(?: me)?) (?:the )?(?:contents of (?:the )?)?(.+?) (?:folder|directory|dir)$/,
    args: (m) => ({ path: m[1]! }),
  },
  {
    intent: 'list_files',
    pattern:
      /^(?:ls|tree|list(?: the)?(?: contents of| folder| directory)?)(?: (?!.*\b(?:tests?|changes|commits?)\b)(.+))?$/,
    args: (m) => only('path', m[1]),
  },
  {
    intent: 'show_file',
    pattern: /^(?:show|read|open|cat|display|view|print|bring up|pull up)\b/,
    needsFile: true,
  },
  { intent: 'show_file', pattern: /^what(?:'s| is) in\b/, needsFile: true },
  // 3. Model work, by the leading verb.
  {
    intent: 'test',
    pattern:
      /^(?:write|add|create|generate|need|make|put in)(?: (?:some|more|a|an|the|unit|integration|e2e|missing|new|regression|proper|few|couple|of))* (?:tests?|specs?|test cases?|test coverage|coverage)\b|^(?:cover|increase (?:the )?(?:test )?coverage|test)\b/,
  },
  {
    intent: 'fix_bug',
    pattern: /^(?:fix|debug|repair|resolve|patch|solve|troubleshoot|investigate|diagnose)\b/,
  },
  {
    intent: 'refactor',
    pattern:
      /^(?:refactor|clean up|cleanup|tidy(?: up)?|simplify|restructure|reorgani[sz]e|rename|extract|split|move|deduplicate|dedupe|inline|moderni[sz]e|rewrite|decouple)\b|^(?:pull|factor|break) (?:out )?(?:the |this |that )?.+ (?:out )?into (?:its own|a|an|their own|a separate|separate)\b/,
  },
  {
    intent: 'review',
    pattern: /^(?:review|audit|critique|check over|look over|code review|give me (?:a )?(?:code )?review)\b/,
  },
  {
    intent: 'explain',
    pattern:
      /^(?:explain|describe|summari[sz]e|walk me through|walk through|trace|tell me (?:about|how|what|why)|help me understand|give me (?:an |a )?(?:overview|tour|summary|rundown)|what does .+ do|how does .+ work|what is the purpose of)\b/,
  },
  {
    intent: 'implement',
    pattern:
      /^(?:implement|add|create|build|make|write|introduce|support|enable|allow|update|change|modify|edit|set up|setup|configure|replace|remove|delete|convert|port|migrate|upgrade|bump|improve|optimi[sz]e|speed up|handle|use|generate|document|insert|append|wire up|hook up)\b/,
  },
  // 4. Questions, then keywords anywhere.
  {
    intent: 'question',
    pattern:
      /^(?:what|why|how|where|when|which|who|is|are|does|do|can|could|should|would|will|did|has|have)\b|\?$/,
  },
  {
    intent: 'fix_bug',
    pattern:
      /\b(?:bugs?|broken|failing|fails|failed|crash(?:es|ed|ing)?|errors?|exceptions?|throws|throwing|raises|panics|hangs|leaks|doesn't work|does not work|not working|regression|typo)\b/,
  },
  { intent: 'implement', pattern: /\b(?:should|needs? to|must|we need|i need|feature)\b/ },
];
