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
