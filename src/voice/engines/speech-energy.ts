/** Frame size for energy analysis: 10 ms at 16 kHz. */
const FRAME = 160;

/** RMS energy of each 10 ms frame of 16-bit mono PCM. */
export function frameEnergies(pcm: Buffer): number[] {
  const energies: number[] = [];
  for (let start = 0; start + FRAME * 2 <= pcm.length; start += FRAME * 2) {
    let sum = 0;
    for (let i = 0; i < FRAME; i++) {
      const sample = pcm.readInt16LE(start + i * 2);
      sum += sample * sample;
    }
    energies.push(Math.sqrt(sum / FRAME));
  }
  return energies;
}

/** True when more than 0.1 s of the audio is louder than quiet room noise (a decode pass is wasted on silence). */
export function hasSpeech(pcm: Buffer): boolean {
  return frameEnergies(pcm).filter((e) => e > 300).length > 10;
}

/**
 * True when the audio ends with a short phrase set apart by a pause ("…dot t s, execute"): the shape
 * of a trigger ending. Speech frames are those above 8% of the loudest frame.
 */
export function endsWithSeparatePhrase(pcm: Buffer): boolean {
  const energies = frameEnergies(pcm);
  const threshold = Math.max(300, 0.08 * Math.max(0, ...energies));
  const speech = energies.map((e) => e > threshold);
  let end = speech.lastIndexOf(true);
  if (end < 0) return false;
  // Walk back over the final phrase, allowing the short closures inside words ("send it").
  let start = end;
  let gap = 0;
  for (let i = end; i >= 0; i--) {
    if (speech[i]) {
      start = i;
      gap = 0;
    } else if (++gap >= 10) break;
  }
  let pause = 0;
  while (start - pause - 1 >= 0 && !speech[start - pause - 1]) pause += 1;
  const length = end - start + 1;
  end = start - pause - 1;
  return pause >= 10 && length >= 12 && length <= 120 && end > 20;
}

/**
 * Where the speech is in 16 kHz mono PCM: from the first to the last 10 ms frame louder than
 * room noise (8% of the loudest frame, at least RMS 300), or the whole audio when nothing is.
 */
export function speechSpan(pcm: Buffer): { start: number; end: number } {
  const energies = frameEnergies(pcm);
  const total = energies.length / 100;
  const threshold = Math.max(300, 0.08 * Math.max(0, ...energies));
  const first = energies.findIndex((e) => e > threshold);
  if (first < 0) return { start: 0, end: total };
  let last = energies.length - 1;
  while (last > first && energies[last]! <= threshold) last -= 1;
  return { start: first / 100, end: Math.min(total, (last + 1) / 100) };
}

/**
 * The audio the decoders read: the speech (`speechSpan`) with `marginSeconds` of what is around it
 * kept on each side, so the recogniser still hears silence before the first word and after the
 * last; the room tone further out is cut (a recording's lead-in and tail cost decode time and
 * tell the recogniser nothing). `offset`: seconds cut from the start (add it to decoded times).
 * Audio with no frame above room noise is returned whole.
 */
export function trimToSpeech(pcm: Buffer, marginSeconds: number): { pcm: Buffer; offset: number } {
  const span = speechSpan(pcm);
  const frames = Math.floor(pcm.length / (FRAME * 2));
  const first = Math.max(0, Math.round((span.start - marginSeconds) * 100));
  const last = Math.min(frames, Math.round((span.end + marginSeconds) * 100));
  if (first === 0 && last >= frames) return { pcm, offset: 0 };
  const end = last >= frames ? pcm.length : last * FRAME * 2;
  return { pcm: pcm.subarray(first * FRAME * 2, end), offset: first / 100 };
}
