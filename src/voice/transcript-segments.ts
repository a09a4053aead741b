import { z } from 'zod';
import { speechSpan } from './engines/speech-energy.js';

export { speechSpan };

/** One timed piece of a transcript, in seconds from the start of the audio. */
export const TranscriptSegmentSchema = z.object({
  id: z.number().int(),
  start: z.number(),
  end: z.number(),
  text: z.string(),
});
/** One timed piece of a transcript. */
export type TranscriptSegment = z.infer<typeof TranscriptSegmentSchema>;

/**
 * The transcript's segments: the engine's own when it gives them (an OpenAI-compatible endpoint
 * answering verbose_json), else one segment over the span the speech covers. Offline
 * recognition gives no word times on its warm path, so a recording is one segment.
 */
export function segmentsOf(
  text: string,
  pcm: Buffer,
  engineSegments?: readonly { start: number; end: number; text: string }[],
): TranscriptSegment[] {
  if (engineSegments?.length)
    return engineSegments.map((s, id) => ({ id, start: s.start, end: s.end, text: s.text.trim() }));
  if (!text.trim()) return [];
  const span = speechSpan(pcm);
  return [{ id: 0, start: round(span.start), end: round(span.end), text: text.trim() }];
}

const round = (seconds: number) => Math.round(seconds * 100) / 100;

function stamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

/** Segments as SubRip subtitles (`srt`). */
export function toSrt(segments: readonly TranscriptSegment[]): string {
  return segments
    .map((s, i) => `${i + 1}\n${stamp(s.start, ',')} --> ${stamp(s.end, ',')}\n${s.text}\n`)
    .join('\n');
}

/** Segments as WebVTT subtitles (`vtt`). */
export function toVtt(segments: readonly TranscriptSegment[]): string {
  return `WEBVTT\n\n${segments.map((s) => `${stamp(s.start, '.')} --> ${stamp(s.end, '.')}\n${s.text}\n`).join('\n')}`;
}
