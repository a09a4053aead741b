import type { FocusRange } from '../rank/rank-files.js';

/** Lines kept around each matched part, so a snippet reads in context. */
const MARGIN = 3;
/** Parts closer than this are shown as one. */
const JOIN_GAP = 6;

/** A part of a file chosen for the prompt, 1-based inclusive, with its text. */
export interface LineRange {
  start: number;
  end: number;
  text: string;
}

/**
 * The parts of a large file most worth showing, best first, within `maxTokens`: the matched
 * ranges widened a little and merged where they touch, then cut to what fits. The file's
 * first lines (imports, the module's doc) lead when there is room.
 */
export function pickLineRanges(
  lines: readonly string[],
  focus: readonly FocusRange[],
  maxTokens: number,
  count: (text: string) => number,
): LineRange[] {
  const last = lines.length;
  const widened = focus
    .map((f) => ({
      start: Math.max(1, Math.min(f.start, f.end) - MARGIN),
      end: Math.min(last, Math.max(f.start, f.end) + MARGIN),
      weight: f.weight,
    }))
    .filter((f) => f.start <= f.end)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number; weight: number }[] = [];
  for (const f of widened) {
    const prev = merged.at(-1);
    if (prev && f.start <= prev.end + JOIN_GAP) {
      prev.end = Math.max(prev.end, f.end);
      prev.weight += f.weight;
    } else merged.push({ ...f });
  }
  const header = { start: 1, end: Math.min(last, 12), weight: 0.5 };
  const ordered = [...merged].sort((a, b) => b.weight - a.weight || a.start - b.start);
  if (!merged.some((m) => m.start <= header.end)) ordered.splice(Math.min(1, ordered.length), 0, header);
  const picked: LineRange[] = [];
  let room = maxTokens;
  for (const r of ordered) {
    let end = r.end;
    let text = lines.slice(r.start - 1, end).join('\n');
    let cost = count(text);
    // A range too long for the room is cut from the end, keeping where it starts (the definition).
    while (cost > room && end - r.start > 8) {
      end = r.start + Math.floor((end - r.start) / 2);
      text = lines.slice(r.start - 1, end).join('\n');
      cost = count(text);
    }
    if (cost > room) continue;
    picked.push({ start: r.start, end, text });
    room -= cost;
    if (room < 40) break;
  }
  return picked.sort((a, b) => a.start - b.start);
}
