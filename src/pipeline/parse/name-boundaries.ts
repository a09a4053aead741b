/** Where a spoken file name may start and end inside a sentence: word lists shared by the mention finders. */

/** Most words a spoken file name may take ("oh oh four two underscore add users"). */
export const MAX_NAME_WORDS = 10;

/** Words that end a spoken name on its left: articles, prepositions, pronouns, command verbs. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `the a an in on of for to at from into with about and or but is are was be it this that these those my our your me us
  fix open show read run explain refactor implement add write create make review commit push undo list delete remove rename
  update change test tests debug build cat display view print look check edit modify clean improve optimize document find
  file files folder directory module failing broken bug error errors code function class what why how where which when`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words that never start a file name ("the user auth file"). */
export const LEFT_BOUNDARY: ReadonlySet<string> = new Set(
  'the a an in on of for to at from into with about and or my our your this that me'.split(' '),
);
