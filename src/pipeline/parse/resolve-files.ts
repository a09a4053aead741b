import type { FileMention } from '../../command/parsed-command.js';
import { compactKey, spokenKeys } from '../../command/spoken/spoken-forms.js';
import { WORD_TO_SYMBOL } from '../../command/spoken/spoken-vocabulary.js';
import type { FileMatch, FileMatcher } from './file-matcher.js';
import { findMentionSpans, type MentionKind, type MentionSpan } from './mention-spans.js';
import type { Token } from './tokens.js';

/** A file mention and the tokens it covers (`start` inclusive, `end` exclusive). */
export interface LocatedMention {
  start: number;
  end: number;
  mention: FileMention;
  /** How it was found; a typed identifier ("userAvatar") may name a symbol, so the request keeps its words. */
  kind: MentionKind;
}

/** Scores closer than this are a tie: the user is asked which file they meant. */
const TIE = 0.01;
/** Bonus for a file whose name has the separators the user typed or said ("user underscore auth"). */
const LITERAL_BONUS = 0.02;
const MAX_CANDIDATES = 5;

/**
 * Finds the files a command speaks of (typed paths, bare names, spoken forms, "the X file")
 * and resolves each against the project: `resolved` is null when none fits or several fit equally.
 */
export function resolveMentions(tokens: readonly Token[], matcher: FileMatcher): LocatedMention[] {
  return findMentionSpans(tokens, matcher).map((span) => ({
    start: span.start,
    end: span.end,
    kind: span.kind,
    mention: toMention(span, tokens, matcher),
  }));
}

function toMention(span: MentionSpan, tokens: readonly Token[], matcher: FileMatcher): FileMention {
  const spanTokens = tokens.slice(span.start, span.end);
  const spoken = spanTokens
    .map((t) => t.raw)
    .join(' ')
    .replace(/^["'`([{<“‘]+/, '')
    .replace(/["'`)\]}>”’,;:!?.…—–-]+$/, '');
  const ranked = rank(
    span.matches,
    literalForm(spanTokens, span.kind === 'typed'),
    span.kind === 'typed',
    matcher,
  );
  const top = ranked[0];
  const second = ranked[1];
  const resolved = top && (!second || top.score - second.score > TIE) ? top.path : null;
  return { spoken, candidates: ranked.slice(0, MAX_CANDIDATES).map((m) => m.path), resolved };
}

/** The path the words spell when separators matter: "user underscore auth dot py" → "user_auth.py"; typed text as typed. */
function literalForm(tokens: readonly Token[], typed: boolean): string {
  if (typed) return tokens[0]!.word.replace(/^\.\//, '');
  return tokens.map((t) => WORD_TO_SYMBOL.get(t.word) ?? t.word).join('');
}

function endsWithSegments(path: string, tail: string): boolean {
  return path === tail || path.endsWith(`/${tail}`);
}

function rank(
  matches: readonly FileMatch[],
  literal: string,
  typed: boolean,
  matcher: FileMatcher,
): FileMatch[] {
  const separators = typed || /[_-]/.test(literal);
  return matches
    .map((m) => {
      let score = m.score;
      if (typed && matcher.has(literal) && m.path === literal) score = 1;
      else if (separators && endsWithSegments(m.path.toLowerCase(), literal.toLowerCase()))
        score += LITERAL_BONUS;
      return { path: m.path, score };
    })
    .sort((a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : 1));
}

/** Resolves words naming a folder ("source", "src slash components") to project folders, shortest first. */
export function resolveDirectory(words: readonly string[], matcher: FileMatcher): string[] {
  if (words.length === 0) return [];
  const keys = words.length === 1 && words[0]!.includes('/') ? [compactKey(words[0]!)] : spokenKeys(words);
  return matcher.directories(keys.map((k) => k.replace(/^\.\/|\/$/g, '')));
}
