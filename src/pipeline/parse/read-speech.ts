import type { ParseOptions } from './parse-command.js';
import type { SpeechHypothesis } from './speech-hypotheses.js';

/** What the parse stage makes of the decoding passes: the text to believe and how sure it is. */
export interface SpeechReading {
  text: string;
  confidence: number;
}

/** Reads the passes' hypotheses (placeholder: the grammar's, else the open model's). */
export function readSpeech(hypotheses: readonly SpeechHypothesis[], _opts: ParseOptions): SpeechReading {
  const grammar = hypotheses.find((h) => h.pass === 'grammar');
  const open = hypotheses.find((h) => h.pass === 'open');
  return { text: grammar?.text || open?.text || '', confidence: 0.5 };
}
