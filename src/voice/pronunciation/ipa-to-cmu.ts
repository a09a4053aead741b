/**
 * espeak-ng IPA symbols (en-us voice) to CMU/ARPAbet phones, longest symbol first.
 * Covers what espeak-ng prints for English; anything else (tones, rare diacritics) is dropped.
 */
const IPA_TO_CMU: ReadonlyArray<readonly [string, string]> = [
  ['tʃ', 'CH'],
  ['dʒ', 'JH'],
  ['aɪ', 'AY'],
  ['aʊ', 'AW'],
  ['eɪ', 'EY'],
  ['oʊ', 'OW'],
  ['ɔɪ', 'OY'],
  ['əʊ', 'OW'],
  ['ɪə', 'IH R'],
  ['ɛə', 'EH R'],
  ['ʊə', 'UH R'],
  ['ɑːɹ', 'AA R'],
  ['ɔːɹ', 'AO R'],
  ['ɜːɹ', 'ER'],
  ['ɜː', 'ER'],
  ['ɝ', 'ER'],
  ['ɚ', 'ER'],
  ['əɹ', 'ER'],
  ['iː', 'IY'],
  ['uː', 'UW'],
  ['ɑː', 'AA'],
  ['ɔː', 'AO'],
  ['i', 'IY'],
  ['ɪ', 'IH'],
  ['ᵻ', 'IH'],
  ['ɛ', 'EH'],
  ['e', 'EH'],
  ['æ', 'AE'],
  ['a', 'AE'],
  ['ɐ', 'AH'],
  ['ɑ', 'AA'],
  ['ɒ', 'AA'],
  ['ɔ', 'AO'],
  ['ʌ', 'AH'],
  ['ə', 'AH'],
  ['o', 'OW'],
  ['u', 'UW'],
  ['ʊ', 'UH'],
  ['p', 'P'],
  ['b', 'B'],
  ['t', 'T'],
  ['d', 'D'],
  ['k', 'K'],
  ['ɡ', 'G'],
  ['g', 'G'],
  ['f', 'F'],
  ['v', 'V'],
  ['θ', 'TH'],
  ['ð', 'DH'],
  ['s', 'S'],
  ['z', 'Z'],
  ['ʃ', 'SH'],
  ['ʒ', 'ZH'],
  ['h', 'HH'],
  ['m', 'M'],
  ['n', 'N'],
  ['ŋ', 'NG'],
  ['l', 'L'],
  ['ɹ', 'R'],
  ['r', 'R'],
  ['w', 'W'],
  ['j', 'Y'],
  ['ɾ', 'T'],
  ['ʔ', 'T'],
  ['x', 'K'],
  ['ç', 'HH'],
  ['ɬ', 'L'],
  ['ɫ', 'L'],
];

const SYLLABIC = '\u0329';

/** Maps one espeak-ng IPA transcription (one word) to a CMU phone string, e.g. "pˈaɪ" → "P AY". */
export function ipaToCmu(ipa: string): string {
  const phones: string[] = [];
  // Stress, joiners and ties carry no phone.
  const text = ipa.normalize('NFD').replace(/[ˈˌ\s-]|\u0361|\u200d/g, '');
  let i = 0;
  while (i < text.length) {
    if (text[i] === SYLLABIC) {
      // A syllabic consonant (n̩, l̩) has a schwa before it in CMU style.
      const last = phones.pop();
      if (last) phones.push('AH', last);
      i += 1;
      continue;
    }
    const match = IPA_TO_CMU.find(([symbol]) => text.startsWith(symbol, i));
    if (match) {
      phones.push(match[1]);
      i += match[0].length;
    } else {
      i += 1;
    }
  }
  return phones.join(' ');
}
