import { identifiersIn, splitIdentifier } from '../index/identifiers.js';
import type { HistoryCommit } from './git-history.js';
import { isStopword, stemWord } from './query-terms.js';

/** Past commits most like the request whose files are counted. */
const NEAREST = 20;
/** Commits touching more files than this (a sweep, a format run) say little about any one file. */
const MAX_FILES = 30;
/** A version-shaped word ("v2.19.0", "4.1.2"): release commits are alike whatever the number. */
const VERSION = /\bv?\d+\.\d+(?:\.\d+)*(?:[-.]?[a-z]+\d*)?\b/gi;
const VERSION_WORD = '#version';

/** The words of a subject or request for comparing them: split, stemmed, without stopwords. */
export function subjectWords(text: string): string[] {
  const out = new Set<string>();
  if (VERSION.test(text)) out.add(VERSION_WORD);
  VERSION.lastIndex = 0;
  for (const id of identifiersIn(text.replace(VERSION, ' '))) {
    for (const p of splitIdentifier(id)) if (p.length >= 2 && !isStopword(p)) out.add(stemWord(p));
  }
  return [...out];
}

/** A file that past commits like the request changed: how alike, and the most alike subject. */
export interface SimilarCommitFile {
  weight: number;
  subject: string;
}

/**
 * Files that the past commits whose subjects are most like the request changed: each commit
 * counts by the idf-weighted words it shares with the request (a word most subjects have says
 * little), spread over the files it changed. A user asking to "bump the version" gets the files
 * the project's earlier release commits changed.
 */
export function similarCommitFiles(
  commits: readonly HistoryCommit[],
  request: string,
): Map<string, SimilarCommitFile> {
  const out = new Map<string, SimilarCommitFile>();
  const words = subjectWords(request);
  if (words.length === 0) return out;
  const wanted = new Set(words);
  const bags: (string[] | null)[] = commits.map((c) =>
    c.subject && c.files.length <= MAX_FILES ? subjectWords(c.subject) : null,
  );
  const df = new Map<string, number>();
  let n = 0;
  for (const bag of bags) {
    if (!bag) continue;
    n++;
    for (const w of bag) if (wanted.has(w)) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const scored: { commit: HistoryCommit; sim: number }[] = [];
  bags.forEach((bag, i) => {
    if (!bag || bag.length === 0) return;
    let sim = 0;
    for (const w of bag) if (wanted.has(w)) sim += Math.log(1 + n / df.get(w)!);
    if (sim > 0) scored.push({ commit: commits[i]!, sim: sim / Math.sqrt(bag.length) });
  });
  scored.sort((a, b) => b.sim - a.sim);
  for (const { commit, sim } of scored.slice(0, NEAREST)) {
    const share = sim / Math.sqrt(commit.files.length);
    for (const f of commit.files) {
      const e = out.get(f);
      if (!e) out.set(f, { weight: share, subject: commit.subject ?? '' });
      else e.weight += share;
    }
  }
  return out;
}
