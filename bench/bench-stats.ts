/**
 * Shared helpers for the benchmarks under bench/: percentiles over samples, millisecond
 * formatting and aligned Markdown tables.
 */

/** Percentiles and extremes of one set of samples, in the samples' unit (usually ms). */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile `p` (0–100) of an ascending array; NaN when it is empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Sorts a copy of the samples and returns their summary. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean,
  };
}

/** The median of the samples (NaN when empty). */
export function median(samples: readonly number[]): number {
  return summarize(samples).p50;
}

/** Milliseconds with a precision suited to their size: 0.123, 12.3, 1234. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs < 10) return value.toFixed(3);
  if (abs < 100) return value.toFixed(2);
  if (abs < 1000) return value.toFixed(1);
  return value.toFixed(0);
}

/** A signed millisecond difference, e.g. "+0.412". */
export function signedMs(value: number): string {
  return value >= 0 ? `+${ms(value)}` : ms(value);
}

/** "yes"/"NO" for a target check, loud when missed. */
export function met(ok: boolean): string {
  return ok ? 'yes' : 'NO';
}

/**
 * Formats rows as a Markdown table with aligned columns (numbers right-aligned), so the
 * same text reads well in a terminal and pastes into bench/README.md.
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^([+-]?[\d.,]+( [a-zA-Z/%]+)?|-)$/.test(r[i] ?? '')),
  );
  const cell = (text: string, i: number) =>
    numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => cell(c, i)).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Prints a titled table to stdout. */
export function printTable(
  title: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  process.stdout.write(`\n${title}\n${table(headers, rows)}\n`);
}
