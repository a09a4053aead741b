import type { Hypothesis } from './decoder-output.js';
import { startWarmRecogniser } from './pocketsphinx-process.js';

/** Decodes one utterance with a decoder started for it and stopped after (models loaded per call: the cold path). */
export async function transcribeCold(
  binary: string,
  modelArgs: readonly string[],
  pcm: Buffer,
  signal?: AbortSignal,
): Promise<Hypothesis> {
  const recogniser = await startWarmRecogniser(binary, modelArgs);
  try {
    return await recogniser.decode(pcm, { signal });
  } finally {
    await recogniser.close();
  }
}
