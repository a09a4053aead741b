import type { DecodedWord } from '../speech-hypotheses.js';

/** One hypothesis from the recogniser. */
export interface Hypothesis {
  text: string;
  /** Path score (log base 1.0001, negative; closer to 0 is better); 0 for an empty result. */
  score: number;
  /** Acoustic part of the path score (same base), per the segmentation; 0 when empty. */
  acoustic: number;
  /** The real words (fillers and silences left out), timed, with posteriors. */
  words: DecodedWord[];
  /** Frames (10 ms) the decoder's segmentation spans. */
  frames: number;
}

/** Frames per second of the en-us acoustic model. */
const FRAME_RATE = 100;
/** Silences, noises and grammar null transitions: in the segmentation but not words. */
const NOT_A_WORD = /^(?:<[^>]*>|\[[^\]]*\]|\+\+?[^+]*\+?\+|\(NULL\))$/;

/** What one utterance's lines say so far: pocketsphinx writes `-hyp`, `-hypseg`, then `-ctm` lines. */
interface Pending {
  text?: string;
  score?: number;
  segments?: { word: string; start: number; end: number; acoustic: number }[];
  acoustic?: number;
  frames?: number;
  posteriors: { word: string; start: number; posterior: number }[];
}

/**
 * Reads the decoder's output lines (hypothesis, segmentation, CTM with posteriors — all three
 * written to one FIFO, in that order for each utterance) and reports each utterance once its
 * lines are all in. `expectedWords` of the segmentation tells how many CTM lines follow.
 */
export function createOutputReader(onUtterance: (id: string, hypothesis: Hypothesis) => void) {
  const pending = new Map<string, Pending>();
  const entry = (id: string) => {
    let p = pending.get(id);
    if (!p) {
      p = { posteriors: [] };
      pending.set(id, p);
    }
    return p;
  };
  const finishIfComplete = (id: string, force = false) => {
    const p = pending.get(id);
    if (!p || p.text === undefined || (!p.segments && !force)) return false;
    // No segmentation at all (a search that ended outside the grammar): the text alone, words untimed.
    const segments =
      p.segments ??
      p.text
        .split(' ')
        .filter(Boolean)
        .map((word) => ({ word, start: 0, end: 0, acoustic: 0 }));
    const words = segments.filter((s) => !NOT_A_WORD.test(s.word));
    if (!force && p.posteriors.length < words.length) return false;
    pending.delete(id);
    onUtterance(id, {
      text: p.text,
      score: p.score ?? 0,
      acoustic: p.acoustic ?? 0,
      frames: p.frames ?? 0,
      words: words.map((s, i) => ({
        word: s.word.replace(/\(\d+\)$/, ''),
        start: s.start,
        end: s.end,
        posterior: p.posteriors[i]?.posterior ?? null,
      })),
    });
    return true;
  };
  return {
    /** Feeds one line of output. */
    line(raw: string) {
      const line = raw.trim();
      const hyp = /^(.*)\((\S+) (-?\d+)\)$/.exec(line);
      if (hyp) {
        const p = entry(hyp[2]!);
        p.text = (hyp[1] ?? '').trim();
        p.score = Number(hyp[3]);
        finishIfComplete(hyp[2]!);
        return;
      }
      const seg = /^(\S+) S -?\d+ T -?\d+ A (-?\d+) L -?\d+((?: -?\d+ -?\d+ -?\d+ \S+)*) (-?\d+)$/.exec(line);
      if (seg) {
        const p = entry(seg[1]!);
        const parts = (seg[3] ?? '').trim().split(' ').filter(Boolean);
        const end = Number(seg[4]);
        const segments: NonNullable<Pending['segments']> = [];
        for (let i = 0; i + 3 < parts.length; i += 4) {
          const next = i + 4 < parts.length ? Number(parts[i + 4]) : end;
          segments.push({
            start: Number(parts[i]) / FRAME_RATE,
            end: next / FRAME_RATE,
            acoustic: Number(parts[i + 1]),
            word: parts[i + 3]!,
          });
        }
        p.segments = segments;
        p.acoustic = Number(seg[2]);
        p.frames = end;
        finishIfComplete(seg[1]!);
        return;
      }
      const ctm = /^(\S+) \S+ (\d+(?:\.\d+)?) \d+(?:\.\d+)? (\S+) (\d+(?:\.\d+)?)$/.exec(line);
      if (ctm) {
        entry(ctm[1]!).posteriors.push({ word: ctm[3]!, start: Number(ctm[2]), posterior: Number(ctm[4]) });
        finishIfComplete(ctm[1]!);
      }
    },
    /** Reports an utterance with what arrived (a CTM line that never comes must not hang it). */
    flush(id: string) {
      return finishIfComplete(id, true);
    },
  };
}
