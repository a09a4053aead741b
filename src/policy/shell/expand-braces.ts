/**
 * Bash brace expansion (`{a,b}`, `{1..3}`, `{a..c}`) of an already unquoted word, capped at `limit`
 * results so a hostile `{a,b}{a,b}...` cannot blow up the analysis. Text without a valid brace
 * group is returned unchanged.
 */
export function expandBraces(word: string, limit: number): string[] {
  const out: string[] = [];
  const stack = [word];
  while (stack.length > 0 && out.length < limit) {
    const w = stack.pop()!;
    const group = findGroup(w);
    if (!group) {
      out.push(w);
      continue;
    }
    const { start, end, parts } = group;
    for (let i = parts.length - 1; i >= 0; i--) stack.push(w.slice(0, start) + parts[i] + w.slice(end + 1));
  }
  return out;
}

function findGroup(w: string): { start: number; end: number; parts: string[] } | undefined {
  for (let start = w.indexOf('{'); start !== -1; start = w.indexOf('{', start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < w.length; i++) {
      const c = w[i];
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          const body = w.slice(start + 1, i);
          if (commas.length > 0) {
            const parts: string[] = [];
            let prev = start + 1;
            for (const c2 of commas) {
              parts.push(w.slice(prev, c2));
              prev = c2 + 1;
            }
            parts.push(w.slice(prev, i));
            return { start, end: i, parts };
          }
          const seq = sequence(body);
          if (seq) return { start, end: i, parts: seq };
          break;
        }
      } else if (c === ',' && depth === 1) commas.push(i);
    }
  }
  return undefined;
}

function sequence(body: string): string[] | undefined {
  const m = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])$/.exec(body);
  if (!m) return undefined;
  const [a, b] = [m[1]!, m[2]!];
  const numeric = /\d/.test(a);
  const from = numeric ? Number(a) : a.charCodeAt(0);
  const to = numeric ? Number(b) : b.charCodeAt(0);
  const step = from <= to ? 1 : -1;
  const parts: string[] = [];
  for (let v = from; parts.length < 64; v += step) {
    parts.push(numeric ? String(v) : String.fromCharCode(v));
    if (v === to) break;
  }
  return parts;
}
