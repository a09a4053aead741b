/**
 * Replays a voice bench's `--dump` through this tree's reading of the passes (`readSpeech`),
 * parse stage and heard check, without decoding again: what each pass heard is in the dump. For
 * trying a change to how the passes are read on the TUNING half (`voice-heard-bench.ts --phrases
 * tuning --dump FILE`) or the control-word set (`voice-control-margins.ts --dump FILE`) in
 * seconds. Counts as the heard bench does (test/voice/heard-outcome.ts).
 *
 *   node --import tsx bench/voice-replay.ts FILE [--show wrong|asked|changed]
 *
 * `--show`: list the clips acted on wrongly (harmful or false auto-submit), asked back, or whose
 * outcome differs from the one recorded in the dump.
 */
import { readFileSync } from 'node:fs';
import { HARMFUL_INTENTS } from '../src/pipeline/parse/heard-check.js';
import { readSpeech } from '../src/pipeline/parse/read-speech.js';
import type { SpeechHypothesis } from '../src/voice/speech-hypotheses.js';
import { type HeardOutcome, judgeHeard } from '../test/voice/heard-outcome.js';
import { SAMPLE_FILES, type SampleCommand } from '../test/voice/sample-project.js';

const file = process.argv[2];
if (!file) throw new Error('usage: voice-replay.ts FILE [--show wrong|asked|changed]');
const showIndex = process.argv.indexOf('--show');
const show = showIndex >= 0 ? process.argv[showIndex + 1] : undefined;
const files = [...SAMPLE_FILES];

type Clip = {
  condition: string;
  command: SampleCommand;
  voice: string;
  hypotheses: readonly SpeechHypothesis[] | null;
  recorded: Pick<HeardOutcome, 'heard' | 'fullyRight' | 'askedBack'> | null;
};
type HeardBenchDump = {
  condition: string;
  rows: {
    clip: { command: SampleCommand; voice: { voice: string; speed: number } };
    ours: HeardOutcome;
    hypotheses?: readonly SpeechHypothesis[] | null;
  }[];
}[];
type MarginsDump = {
  said: string;
  saidIntent: string;
  condition: string;
  voice: string;
  hypotheses: readonly SpeechHypothesis[] | null;
}[];

const raw = JSON.parse(readFileSync(file, 'utf8')) as HeardBenchDump | MarginsDump;
const clips: Clip[] =
  raw.length > 0 && 'rows' in raw[0]!
    ? (raw as HeardBenchDump).flatMap((c) =>
        c.rows.map((r) => ({
          condition: c.condition,
          command: r.clip.command,
          voice: `${r.clip.voice.voice} ${r.clip.voice.speed}`,
          hypotheses: r.hypotheses ?? null,
          recorded: r.ours,
        })),
      )
    : (raw as MarginsDump).map((r) => ({
        condition: r.condition,
        // A control phrase said alone: only its intent is judged (no files, no ending).
        command: { say: r.said, intent: r.saidIntent, files: [], autoSubmit: false },
        voice: r.voice,
        hypotheses: r.hypotheses,
        recorded: null,
      }));

const outcomes = clips.map((clip) => {
  // No hypotheses: nothing was heard (no speech), the recorded outcome stands.
  if (!clip.hypotheses) {
    const none = judgeHeard(clip.command, '', files, {
      confidence: 0.5,
      triggerConfidence: 0.5,
      engine: 'x',
    });
    return { clip, outcome: none, reading: null };
  }
  const reading = readSpeech(clip.hypotheses, { files });
  const outcome = judgeHeard(clip.command, reading.text, files, {
    confidence: reading.confidence,
    triggerConfidence: reading.triggerConfidence,
    engine: 'pocketsphinx',
  });
  return { clip, outcome, reading };
});

const pct = (n: number, of: number) => (of === 0 ? '–' : `${((100 * n) / of).toFixed(1)}%`);
const FAMILIES: Record<string, readonly string[]> = {
  'answers and controls': ['confirm', 'deny', 'cancel', 'status', 'repeat'],
  'undo/redo/push/commit': ['undo', 'redo', 'push', 'commit'],
  direct: ['run_tests', 'what_changed', 'show_file', 'list_files'],
  'changes by the model': ['fix_bug', 'implement', 'refactor', 'test'],
  'reading and questions': ['explain', 'review', 'question'],
};
console.log(`replay of ${file}: ${clips.length} clips`);
console.log(
  '| condition | clips | fully right | asked back | harmful | false auto-submits | right harmful words asked |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const condition of [...new Set(clips.map((c) => c.condition))]) {
  const rows = outcomes.filter((o) => o.clip.condition === condition);
  const n = rows.length;
  const k = (key: keyof HeardOutcome) => rows.filter((r) => r.outcome[key] === true).length;
  const harmfulSaid = rows.filter((r) => HARMFUL_INTENTS.has(r.clip.command.intent as never));
  const rightAsked = harmfulSaid.filter(
    (r) => r.outcome.askedBack && r.outcome.intent === r.clip.command.intent,
  );
  console.log(
    `| ${condition} | ${n} | ${pct(k('fullyRight'), n)} | ${pct(k('askedBack'), n)} | ${k('harmful')} | ${k('falseAutoSubmit')} | ${rightAsked.length} of ${harmfulSaid.length} |`,
  );
  const families = Object.entries(FAMILIES)
    .map(([family, intents]) => {
      const f = rows.filter((r) => intents.includes(r.clip.command.intent));
      const right = f.filter((r) => r.outcome.fullyRight).length;
      const asked = f.filter((r) => r.outcome.askedBack).length;
      return f.length ? `${family} ${pct(right, f.length)} / ${pct(asked, f.length)}` : '';
    })
    .filter(Boolean);
  console.log(`|   ${families.join('; ')} |`);
}
const listed = outcomes.filter(({ outcome, clip }) => {
  if (show === 'wrong') return outcome.harmful || outcome.falseAutoSubmit;
  if (show === 'asked') return outcome.askedBack;
  if (show === 'changed')
    return (
      clip.recorded !== null &&
      (clip.recorded.fullyRight !== outcome.fullyRight || clip.recorded.askedBack !== outcome.askedBack)
    );
  return false;
});
for (const { clip, outcome, reading } of listed)
  console.log(
    `  ${clip.condition} "${clip.command.say}" [${clip.voice}] → "${outcome.heard}" ${outcome.intent}` +
      ` ${outcome.askedBack ? 'asked' : outcome.fullyRight ? 'right' : outcome.harmful ? 'HARMFUL' : 'wrong'}` +
      (reading
        ? ` (confidence ${reading.confidence.toFixed(2)}, agreed ${reading.agreed}, margin ${reading.rivalMargin})`
        : ''),
  );
