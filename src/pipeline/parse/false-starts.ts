import { numberWordValue } from '../../command/spoken/number-words.js';
import type { Token } from './tokens.js';

/**
 * False starts and self-corrections, as people speak them: "fix the, no, fix the test"
 * (an explicit correction), "open the, open user auth" (a restart after a pause) and
 * "the the" (a stutter). The correction is kept, what it replaces is dropped.
 */

/** Correction markers; single words count only between pauses ("…, no, …"). */
const MARKERS: readonly (readonly string[])[] = [
  ['scratch', 'that'],
  ['let', 'me', 'rephrase'],
  ['i', 'mean'],
  ['i', 'meant'],
  ['or', 'rather'],
  ['sorry'],
  ['no'],
  ['wait'],
  ['actually'],
  ['rather'],
];
const NEEDS_PAUSE_AFTER = new Set(['no', 'wait', 'actually', 'rather']);

/** Words that start a command: a correction starting with one replaces everything before it. */
const COMMAND_VERBS = new Set(
  'fix open show read run explain refactor implement add write create make review commit push undo redo list delete remove rename update change test debug build cat display view'.split(
    ' ',
  ),
);
/** Words after which a phrase is unfinished ("open the,"). */
const FUNCTION_WORDS = new Set(
  'the a an to in on of for with at from my this that and or is into about by our your'.split(' '),
);

/** Removes false starts and self-corrections; returns the tokens that remain. */
export function repairFalseStarts(tokens: readonly Token[]): Token[] {
  return dropStutters(dropRestarts(applyCorrections([...tokens])));
}

function markerAt(tokens: readonly Token[], i: number): number {
  if (i === 0 || !tokens[i - 1]!.pause) return 0;
  for (const marker of MARKERS) {
    if (!marker.every((w, j) => tokens[i + j]?.word === w)) continue;
    const last = tokens[i + marker.length - 1]!;
    if (marker.length === 1 && NEEDS_PAUSE_AFTER.has(marker[0]!) && !last.pause) return 0;
    return marker.length;
  }
  return 0;
}

function applyCorrections(tokens: Token[]): Token[] {
  for (let i = 1; i < tokens.length; i++) {
    const length = markerAt(tokens, i);
    if (length === 0) continue;
    // "no, wait, …": swallow markers that follow one another.
    let end = i + length;
    for (let next = markerAt(tokens, end); next > 0 && end < tokens.length; next = markerAt(tokens, end))
      end += next;
    const repaired = replaceWithCorrection(tokens.slice(0, i), tokens.slice(end));
    return applyCorrections(repaired);
  }
  return tokens;
}

function replaceWithCorrection(before: Token[], after: Token[]): Token[] {
  if (after.length === 0) return before;
  const first = after[0]!.word;
  const anchor = before.map((t) => t.word).lastIndexOf(first);
  if (anchor >= 0) return [...before.slice(0, anchor), ...after];
  if (COMMAND_VERBS.has(first)) return after;
  // "open app dot ts, no, main dot ts": the correction replaces the words after the last verb or function word.
  let keep = before.length;
  while (
    keep > 0 &&
    !FUNCTION_WORDS.has(before[keep - 1]!.word) &&
    !COMMAND_VERBS.has(before[keep - 1]!.word)
  ) {
    keep -= 1;
  }
  return [...before.slice(0, keep), ...after];
}

/** "open the, open user auth": an unfinished phrase restarted after a pause with the same first word. */
function dropRestarts(tokens: Token[]): Token[] {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!tokens[i]!.pause) continue;
    const after = tokens.slice(i + 1);
    let k = i;
    while (k >= 0 && tokens[k]!.word !== after[0]!.word) {
      if (k < i && tokens[k]!.pause) k = -1;
      else k -= 1;
    }
    if (k < 0) continue;
    const fragment = tokens.slice(k, i + 1);
    const unfinished = FUNCTION_WORDS.has(tokens[i]!.word);
    const prefix = fragment.length <= after.length && fragment.every((t, j) => t.word === after[j]!.word);
    if (unfinished || prefix) return dropRestarts([...tokens.slice(0, k), ...after]);
  }
  return tokens;
}

/** "the the test", "open the open the file": a repeated run of words said once. */
function dropStutters(tokens: Token[]): Token[] {
  const out = [...tokens];
  for (let n = 3; n >= 1; n--) {
    for (let i = 0; i + 2 * n <= out.length; i++) {
      const a = out.slice(i, i + n);
      const b = out.slice(i + n, i + 2 * n);
      if (!a.every((t, j) => t.word === b[j]!.word)) continue;
      if (a.some((t) => t.word.length < 2 || numberWordValue(t.word) !== undefined || t.word === 'dot'))
        continue;
      out.splice(i, n);
      i -= 1;
    }
  }
  return out;
}
