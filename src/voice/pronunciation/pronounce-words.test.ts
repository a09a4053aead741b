import { describe, expect, it } from 'vitest';
import { findExecutable } from '../audio-decoders.js';
import { parseDictionary } from './cmu-dictionary.js';
import { ipaToCmu } from './ipa-to-cmu.js';
import { pronounceWords, spellOut } from './pronounce-words.js';

const dictionary = parseDictionary(
  'auth AO TH\ndot D AA T\nt T IY\ns EH S\nx EH K S\nthe DH AH\nthe(2) DH IY\n',
);

describe('ipaToCmu', () => {
  it('maps espeak-ng IPA to CMU phones', () => {
    expect(ipaToCmu('pˈaɪ')).toBe('P AY');
    expect(ipaToCmu('vˈaɪɾɪst')).toBe('V AY T IH S T');
    expect(ipaToCmu('dʒˈeɪsˈɑːn')).toBe('JH EY S AA N');
    expect(ipaToCmu('jˈuːzɚ')).toBe('Y UW Z ER');
    expect(ipaToCmu('bˈʌʔn̩')).toBe('B AH T AH N');
  });
});

describe('pronounceWords', () => {
  it('keeps dictionary entries with their variants', async () => {
    const out = await pronounceWords(['the', 'auth'], { dictionary, espeakPath: null });
    expect(out.entries.get('the')).toEqual(['DH AH', 'DH IY']);
    expect(out.generated).toEqual([]);
  });

  it('generates missing words with espeak-ng', async () => {
    const espeakPath = await findExecutable('espeak-ng');
    expect(espeakPath).not.toBeNull();
    const out = await pronounceWords(['py', 'vitest', 'dot'], { dictionary, espeakPath });
    expect(out.entries.get('py')).toEqual(['P AY']);
    expect(out.entries.get('vitest')?.[0]).toMatch(/^V AY T IH S T$/);
    expect(out.generated).toEqual(['py', 'vitest']);
  });

  it('spells a word out when espeak-ng is missing', async () => {
    expect(spellOut('tsx', dictionary)).toBe('T IY EH S EH K S');
    const out = await pronounceWords(['tsx'], { dictionary, espeakPath: null });
    expect(out.entries.get('tsx')).toEqual(['T IY EH S EH K S']);
  });
});
