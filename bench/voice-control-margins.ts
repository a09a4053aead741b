/**
 * The control-word set (every control phrasing of src/voice/vocabulary/command-phrases.ts said
 * alone, tuning material) through Ralex's recogniser under the bench's noisy conditions: for
 * each clip, what the grammar pass heard and the rival margin (how much better the heard control
 * phrase fits the audio than the best control phrase of another intent). Used to set
 * `RIVAL_MARGIN` (src/pipeline/parse/read-speech.ts): the margins of right and wrong hearings.
 *
 *   node --import tsx bench/voice-control-margins.ts [--voices 3] [--conditions floor,snr27] [--dump FILE] [--speech-margin S]
 *
 * `--dump FILE`: every clip with what each pass heard (text, scores, word posteriors), JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HARMFUL_INTENTS } from '../src/pipeline/parse/heard-check.js';
import { parseCommand } from '../src/pipeline/parse/parse-command.js';
import { RIVAL_MARGIN, readSpeech } from '../src/pipeline/parse/read-speech.js';
import type { SpeechHypothesis } from '../src/voice/speech-hypotheses.js';
import { createTranscriber } from '../src/voice/transcriber.js';
import { CONTROL_SAYINGS } from '../src/voice/vocabulary/control-rivals.js';
import { SAMPLE_FILES } from '../test/voice/sample-project.js';
import { BENCH_VOICES, CONDITIONS, recordedWav } from './voice/audio-conditions.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const voices = Number(arg('voices', '3'));
const conditions = arg('conditions', 'floor,snr27')
  .split(',')
  .map((id) => CONDITIONS.find((c) => c.id === id)!);
const files = [...SAMPLE_FILES];
const work = mkdtempSync(path.join(os.tmpdir(), 'ralex-control-margins-'));
// What the passes heard for the last clip (written to `--dump`, to replay a reading offline).
let lastHypotheses: readonly SpeechHypothesis[] | null = null;
const transcriber = createTranscriber({
  engines: ['pocketsphinx'],
  pocketsphinx: {
    cacheDir: work,
    files: () => files,
    // `--speech-margin S`: seconds of silence the passes keep around the speech (`Infinity`: all).
    ...(arg('speech-margin', '') ? { speechMargin: Number(arg('speech-margin', '')) } : {}),
    readSpeech: (hypotheses, opts) => {
      lastHypotheses = hypotheses;
      return readSpeech(hypotheses, opts);
    },
  },
});
await transcriber.warmUp();
const sayings = [...CONTROL_SAYINGS];
type Row = {
  said: string;
  saidIntent: string;
  heard: string;
  heardIntent: string;
  margin: number | null;
  asked: boolean;
  condition: string;
  voice: string;
  hypotheses: readonly SpeechHypothesis[] | null;
};
const rows: Row[] = [];
for (const condition of conditions)
  for (const [i, [said, saidIntent]] of sayings.entries())
    for (let k = 0; k < voices; k++) {
      const voice = BENCH_VOICES[(i + k) % BENCH_VOICES.length]!;
      const wav = await recordedWav(said, voice, condition);
      lastHypotheses = null;
      const result = await transcriber.transcribe(wav).catch(() => null);
      if (!result) continue;
      const heardIntent = parseCommand(result.text, { files }).intent;
      rows.push({
        said,
        saidIntent,
        heard: result.text,
        heardIntent,
        margin: result.certainty?.rivalMargin ?? null,
        asked: (result.certainty?.confidence ?? 0) < 0.8,
        condition: condition.id,
        voice: `${voice.voice} ${voice.speed}`,
        hypotheses: lastHypotheses,
      });
    }
await transcriber.close();
rmSync(work, { recursive: true, force: true });
const harmful = rows.filter((r) => HARMFUL_INTENTS.has(r.heardIntent as never));
const right = harmful.filter((r) => r.heardIntent === r.saidIntent);
const wrong = harmful.filter((r) => r.heardIntent !== r.saidIntent);
const margins = (list: Row[]) =>
  list
    .map((r) => r.margin)
    .filter((m): m is number => m !== null)
    .sort((a, b) => a - b);
console.log(
  `control-word set: ${sayings.length} phrases × ${voices} voices × ${conditions.map((c) => c.id).join(',')}; load ${os.loadavg()[0]!.toFixed(1)}`,
);
console.log(
  `heard as a harmful intent: ${harmful.length} (right ${right.length}, wrong ${wrong.length}); RIVAL_MARGIN ${RIVAL_MARGIN}`,
);
console.log(`margins when right: ${margins(right).join(' ')}`);
console.log(`margins when wrong: ${margins(wrong).join(' ')}`);
console.log(
  `wrong harmful acted on unasked: ${wrong.filter((r) => !r.asked).length}; right asked back: ${right.filter((r) => r.asked).length}`,
);
for (const r of wrong)
  console.log(`  "${r.said}" → "${r.heard}" margin ${r.margin} ${r.asked ? 'asked' : 'ACTED'}`);
const dump = arg('dump', '');
if (dump) writeFileSync(dump, JSON.stringify(rows, null, 1));
