import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExecutable } from '../audio-decoders.js';
import { DEFAULT_SPHINX_MODEL_DIR } from '../engines/pocketsphinx-engine.js';
import { ensureCommandModel } from './command-model.js';

const dictionaryPath = path.join(DEFAULT_SPHINX_MODEL_DIR, 'cmudict-en-us.dict');

describe('ensureCommandModel', () => {
  it('builds a grammar, LM and dictionary over the project names, cached by the file list', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'ralex-voice-model-'));
    const espeakPath = await findExecutable('espeak-ng');
    const files = ['src/user_auth.py', 'src/app.ts', 'README.md'];
    const first = await ensureCommandModel({ files, cacheDir, dictionaryPath, espeakPath });
    expect(first.built).toBe(true);
    const jsgf = readFileSync(first.jsgfPath, 'utf8');
    expect(jsgf).toContain('user auth dot py');
    expect(jsgf).toContain('source slash app dot t s');
    expect(jsgf).toMatch(/<trigger> = execute \| send it/);
    const dict = readFileSync(first.dictPath, 'utf8');
    // "py" is not in the CMU dictionary: its pronunciation comes from espeak-ng.
    expect(dict).toMatch(/^py P AY$/m);
    expect(first.generated).toContain('py');
    expect(readFileSync(first.lmPath, 'utf8')).toMatch(/^-[\d.]+ user auth dot/m);
    // Every word the grammar can produce has a pronunciation.
    const words = new Set(dict.split('\n').map((l) => l.split(' ')[0]?.replace(/\(\d+\)$/, '')));
    const grammarWords = jsgf
      .split('\n')
      .slice(4)
      .join(' ')
      .replace(/<[^>]+>|\/[\d.]+\/|public|[=;|()[\]]/g, ' ');
    for (const word of grammarWords.split(/\s+/).filter(Boolean)) expect(words.has(word), word).toBe(true);

    const again = await ensureCommandModel({
      files: [...files].reverse(),
      cacheDir,
      dictionaryPath,
      espeakPath,
    });
    expect([again.built, again.hash]).toEqual([false, first.hash]);
    const changed = await ensureCommandModel({
      files: [...files, 'src/billing.py'],
      cacheDir,
      dictionaryPath,
      espeakPath,
    });
    expect(changed.built).toBe(true);
    expect(changed.hash).not.toBe(first.hash);
  });

  it('keeps only the three newest models in the cache', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'ralex-voice-model-'));
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) {
      await ensureCommandModel({ files: [`src/${name}.ts`], cacheDir, dictionaryPath, espeakPath: null });
    }
    expect(readdirSync(cacheDir).filter((n) => n.startsWith('command-'))).toHaveLength(3);
  });
});
