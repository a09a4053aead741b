import type { Candidate } from '../context/pack/pack-context.js';
import type { TokenCounter } from '../context/pack/tokenizer.js';
import type { SelectedStandard } from './standard.js';

/** One selected standard as it goes into the context: whole, or its description when the whole does not fit. */
export interface SizedStandard {
  selected: SelectedStandard;
  included: 'full' | 'description';
  content: string;
  tokens: number;
}

/**
 * Fits the selected standards into `room` tokens: first every description (dropping the lowest
 * scored if even those do not fit), then the full text of each, best first, while it fits.
 */
export function sizeStandards(
  selected: readonly SelectedStandard[],
  room: number,
  count: TokenCounter,
): SizedStandard[] {
  const summary = (s: SelectedStandard) =>
    `${s.standard.title}: ${s.standard.description || '(no description)'}\n(Only this summary fits; the full text is ${s.standard.source}.)`;
  let sized: SizedStandard[] = selected.map((s) => {
    const content = summary(s);
    return { selected: s, included: 'description', content, tokens: count(content) };
  });
  let used = sized.reduce((n, s) => n + s.tokens, 0);
  while (sized.length && used > room) used -= sized.pop()!.tokens;
  sized = sized.map((s) => {
    const full = s.selected.standard.content;
    const tokens = count(full);
    if (used - s.tokens + tokens > room) return s;
    used += tokens - s.tokens;
    return { ...s, included: 'full', content: full, tokens };
  });
  return sized;
}

/** The context candidates of sized standards: kind `standards`, with the reasons each was chosen. */
export function standardsCandidates(sized: readonly SizedStandard[], budget: number): Candidate[] {
  return sized.map((s) => ({
    kind: 'standards',
    ref: s.selected.standard.source,
    content: s.content,
    // Above most files, below instructions: standards are small, sized to their share already.
    score: 8 + Math.min(s.selected.score, 16) / 4,
    reasons: [
      ...s.selected.reasons,
      ...(s.included === 'description'
        ? ['its description only: the full text did not fit the share for standards']
        : []),
    ],
    maxShare: Math.min(1, (s.tokens + 8) / budget),
  }));
}
