/**
 * Levenshtein distance between `a` and `b`, or `max + 1` as soon as it is known to exceed `max`
 * (a banded computation: cheap for near misses, cheap to reject far ones).
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    if (from > 1) current[from - 1] = max + 1;
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(
        previous[j - 1]! + cost,
        (j - 1 >= from - 1 ? current[j - 1]! : max + 1) + 1,
        (j <= Math.min(b.length, i - 1 + max) ? previous[j]! : max + 1) + 1,
      );
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (to < b.length) current[to + 1] = max + 1;
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  const result = previous[b.length]!;
  return result > max ? max + 1 : result;
}
