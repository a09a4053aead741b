import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RalexError } from '../../errors.js';
import { runProcess } from '../run-process.js';
import type { Hypothesis } from './pocketsphinx-process.js';

/** Decodes one WAV with a fresh `pocketsphinx_continuous -infile` (models loaded per call: the cold path). */
export async function transcribeCold(
  binary: string,
  modelArgs: readonly string[],
  wav16k: Buffer,
  signal?: AbortSignal,
): Promise<Hypothesis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ralex-sphinx-cold-'));
  try {
    const file = path.join(dir, 'utterance.wav');
    await writeFile(file, wav16k);
    const result = await runProcess(binary, ['-infile', file, '-logfn', '/dev/null', ...modelArgs], {
      signal,
      timeoutMs: 30_000,
    });
    if (result.code !== 0)
      throw new RalexError('internal_error', `pocketsphinx_continuous failed (${result.code}).`);
    // Continuous mode prints one line per speech segment it found.
    const text = result.stdout
      .toString('utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ');
    return { text, score: 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
