/** "840 ms", "3.2 s", "1 min 4 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "$0.0042", "< $0.0001", "free" for zero, "" when unknown. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '';
  if (usd === 0) return 'free';
  if (usd < 0.0001) return '< $0.0001';
  return `$${usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

/** "14:05" for today, "3 Nov 14:05" otherwise. */
export function formatTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === now.toDateString()
    ? time
    : `${d.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}

/** A tool call's input as one short line: the path or command it acts on. */
export function describeInput(input: unknown): string {
  if (!input || typeof input !== 'object') return String(input ?? '');
  const o = input as Record<string, unknown>;
  const main = o.command ?? o.path ?? o.pattern ?? o.file;
  return typeof main === 'string' ? main : JSON.stringify(input).slice(0, 160);
}
