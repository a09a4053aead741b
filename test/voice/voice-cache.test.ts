import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { voiceService } from '../../src/server/voice-service.js';
import { heardSpeech } from '../../src/voice/heard-speech.js';
import { openRuntime, type RuntimeUnderTest } from '../helpers/runtime-under-test.js';
import { spokenWav } from './speech-fixtures.js';

/**
 * The voice cache lives in the project (`.ralex/cache/voice/`, not git-ignored in this repo), yet
 * never becomes one of the project's files: not a spoken name, not part of the vocabulary's
 * hash, so a second request reuses the model the first one built.
 */
let t: RuntimeUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the voice cache', () => {
  it('stays out of the file list and the vocabulary: two requests, one model', async () => {
    t = await openRuntime({
      files: { 'src/billing.py': 'x = 1\n', 'tests/test_billing.py': 'def test_x():\n    pass\n' },
    });
    const { rt } = t;
    const before = await rt.files.list();
    const voice = voiceService(rt);
    const wav = await spokenWav('run the tests', { voice: 'en-us', speed: 150 });
    const first = await voice.transcribe(wav, { mode: 'command' });
    const cache = path.join(rt.paths.cacheDir, 'voice');
    const models = (await readdir(cache)).filter((f) => f.startsWith('command-'));
    expect(models).toHaveLength(1);
    expect(path.relative(t.repo.dir, cache).startsWith(`.ralex${path.sep}`)).toBe(true);

    rt.files.invalidate();
    const after = await rt.files.list();
    expect(after).toEqual(before);
    expect(after.some((f) => f.startsWith('.ralex'))).toBe(false);

    await voice.transcribe(wav, { mode: 'command' });
    expect((await readdir(cache)).filter((f) => f.startsWith('command-'))).toEqual(models);
    // The transcript is remembered as heard, with the recogniser's certainty, for the command that follows.
    expect(first.certainty).toBeDefined();
    expect(heardSpeech(rt).take(first.text)?.engine).toBe('pocketsphinx');
  }, 60_000);
});
