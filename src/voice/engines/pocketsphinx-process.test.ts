import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPHINX_MODEL_DIR } from './pocketsphinx-engine.js';
import { startWarmRecogniser, type WarmRecogniser } from './pocketsphinx-process.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ralex-sphinx-test-'));
const hmm = path.join(DEFAULT_SPHINX_MODEL_DIR, 'en-us');
writeFileSync(path.join(dir, 'yes.jsgf'), '#JSGF V1.0;\ngrammar t;\npublic <c> = yes | no;\n');
writeFileSync(path.join(dir, 'yes.dict'), 'yes Y EH S\nno N OW\n');
const args = ['-hmm', hmm, '-jsgf', path.join(dir, 'yes.jsgf'), '-dict', path.join(dir, 'yes.dict')];

describe('startWarmRecogniser', () => {
  it('keeps six decoders warm at once (FIFOs never hold the libuv threadpool)', async () => {
    const recognisers: WarmRecogniser[] = await Promise.all(
      Array.from({ length: 6 }, () => startWarmRecogniser('pocketsphinx_batch', args)),
    );
    try {
      const silence = Buffer.alloc(16_000);
      const results = await Promise.all(recognisers.map((r) => r.decode(silence)));
      expect(results.map((r) => r.text)).toEqual(['', '', '', '', '', '']);
      expect(recognisers.every((r) => r.alive())).toBe(true);
    } finally {
      await Promise.all(recognisers.map((r) => r.close()));
    }
    expect(recognisers.some((r) => r.alive())).toBe(false);
  });

  it("fails to start with the decoder's own error", async () => {
    const broken = [
      '-hmm',
      hmm,
      '-jsgf',
      path.join(dir, 'missing.jsgf'),
      '-dict',
      path.join(dir, 'yes.dict'),
    ];
    await expect(startWarmRecogniser('pocketsphinx_batch', broken)).rejects.toMatchObject({
      code: 'internal_error',
      message: expect.stringMatching(/pocketsphinx stopped: .*missing\.jsgf/),
    });
  });
});
