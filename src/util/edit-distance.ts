// Two rows reused across calls: fuzzy matching compares one name against hundreds of files per command.
let previous = new Int32Array(64);
let current = new Int32Array(64);

/**
 * Levenshtein distance between `a` and `b`, or `max + 1` as soon as it is known to exceed `max`
 * (a banded computation: cheap for near misses, cheap to reject far ones).
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  if (previous.length <= b.length + 1) {
    previous = new Int32Array(b.length * 2 + 2);
    current = new Int32Array(b.length * 2 + 2);
  }
  const over = max + 1;
  for (let j = 0; j <= b.length; j++) previous[j] = j <= max ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    current[from - 1] = from === 1 ? (i <= max ? i : over) : over;
    let rowMin = current[from - 1]!;
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const above = j <= i - 1 + max ? previous[j]! : over;
      const value = Math.min(previous[j - 1]! + cost, current[j - 1]! + 1, above + 1, over);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (to < b.length) current[to + 1] = over;
    if (rowMin > max) return over;
    const swap = previous;
    previous = current;
    current = swap;
  }
  const result = previous[b.length]!;
  return result > max ? over : result;
}
