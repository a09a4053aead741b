/**
 * Voice bench on the held-out EVALUATION half (bench/voice/evaluation-phrases.ts, never used to
 * design the grammar) recorded the way a microphone hears it (bench/voice/audio-conditions.ts:
 * a noise floor, pink noise at 20–35 dB SNR, room reverb), six espeak-ng voices and speeds.
 * Ralex as built (two passes read by the parse stage, asking back when unsure) beside main's
 * recogniser and parse stage as the baseline, in the same run on the same clips: main's `src/`
 * is taken from git (`git archive`) into a temp folder and imported from there.
 *
 *   node --import tsx bench/voice-heard-bench.ts [--conditions floor,snr35,snr27,snr20]
 *        [--voices 2] [--baseline main] [--phrases evaluation|fresh] [--setups ralex,baseline]
 *
 * `--speech-margin S`: seconds of silence Ralex's passes keep around the speech (`Infinity`: all).
 * `--dump FILE`: every clip's outcome as JSON (for reading the tuning half's failures).
 * `--phrases fresh`: the second held-out set (bench/voice/fresh-evaluation-phrases.ts, written
 * from other sources, none of it a phrase the grammar produces). `--setups baseline`: only the
 * baseline (main as it is: its recogniser, its reading of the passes, its parse and heard check).
 *
 * `--voices N`: each command in N of the six voices (rotating; 6 = all). Reports per condition:
 * fully right (acted on without asking, intent + files + auto-submit + commit message right),
 * asked back, unintended harmful actions (undo/redo/push/commit/confirm acted on but not said, or
 * a commit with another message), false auto-submits, latency; per intent family and per voice
 * for the noisiest condition.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSpeech } from '../src/pipeline/parse/read-speech.js';
import type { SpeechHypothesis } from '../src/voice/speech-hypotheses.js';
import { createTranscriber, type Transcriber } from '../src/voice/transcriber.js';
import { type Check, type HeardOutcome, judgeHeard, type Parse } from '../test/voice/heard-outcome.js';
import {
  NATURAL_COMMANDS,
  SAMPLE_COMMANDS,
  SAMPLE_FILES,
  type SampleCommand,
} from '../test/voice/sample-project.js';
import {
  type AudioCondition,
  BENCH_VOICES,
  type BenchVoice,
  CONDITIONS,
  recordedWav,
} from './voice/audio-conditions.js';
import { EVALUATION_COMMANDS } from './voice/evaluation-phrases.js';
import { FRESH_EVALUATION_COMMANDS } from './voice/fresh-evaluation-phrases.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const conditionIds = arg('conditions', 'floor,snr27').split(',');
const voicesPerCommand = Math.min(BENCH_VOICES.length, Math.max(1, Number(arg('voices', '2'))));
const baselineRef = arg('baseline', 'main');
const phraseSet = arg('phrases', 'evaluation');
const PHRASE_SETS: Record<string, readonly SampleCommand[]> = {
  evaluation: EVALUATION_COMMANDS,
  fresh: FRESH_EVALUATION_COMMANDS,
  // The tuning half: the only set changes may be designed on.
  tuning: [...SAMPLE_COMMANDS, ...NATURAL_COMMANDS],
};
const commands = PHRASE_SETS[phraseSet];
if (!commands) throw new Error(`unknown phrase set "${phraseSet}" (known: evaluation, fresh, tuning)`);
const setups = new Set(arg('setups', 'ralex,baseline').split(','));
const conditions = conditionIds.map((id) => {
  const found = CONDITIONS.find((c) => c.id === id);
  if (!found) throw new Error(`unknown condition "${id}" (known: ${CONDITIONS.map((c) => c.id).join(', ')})`);
  return found;
});
const files = [...SAMPLE_FILES];
const work = mkdtempSync(path.join(os.tmpdir(), 'ralex-voice-heard-bench-'));

// The baseline: main's own src/, imported from a temp folder (its node_modules are this worktree's).
const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
const baselineCommit = execFileSync('git', ['rev-parse', '--short', baselineRef], {
  encoding: 'utf8',
}).trim();
const baselineDir = path.join(work, 'baseline');
execFileSync('mkdir', ['-p', baselineDir]);
execFileSync('sh', ['-c', `git archive ${baselineCommit} src package.json | tar -x -C "${baselineDir}"`]);
symlinkSync(path.join(repoRoot, 'node_modules'), path.join(baselineDir, 'node_modules'));
const baselineTranscriber = (await import(path.join(baselineDir, 'src/voice/transcriber.ts'))) as {
  createTranscriber: typeof createTranscriber;
};
const baselineParse = (await import(path.join(baselineDir, 'src/pipeline/parse/parse-command.ts')))
  .parseCommand as Parse;
// Main as it is: its own reading of the passes and heard check (absent before issue 16: acted on as heard).
const optional = async <T>(file: string, name: string): Promise<T | undefined> =>
  (await import(path.join(baselineDir, file)).catch(() => ({})))[name] as T | undefined;
const baselineReadSpeech = await optional<typeof readSpeech>(
  'src/pipeline/parse/read-speech.ts',
  'readSpeech',
);
const baselineCheck = await optional<Check>('src/pipeline/parse/heard-check.ts', 'checkHeard');

// `--speech-margin S`: Ralex's passes keep S seconds around the speech (`Infinity`: the whole clip).
const speechMargin = arg('speech-margin', '');
const make = (
  create: typeof createTranscriber,
  name: string,
  read?: typeof readSpeech,
  margin?: number,
): Transcriber =>
  create({
    engines: ['pocketsphinx'],
    pocketsphinx: {
      cacheDir: path.join(work, name),
      files: () => files,
      ...(read ? { readSpeech: read } : {}),
      ...(margin === undefined ? {} : { speechMargin: margin }),
    },
  });
// What Ralex's passes heard for the last clip (written to `--dump`, to replay a reading offline).
let lastHypotheses: readonly SpeechHypothesis[] | null = null;
const ralex = make(
  createTranscriber,
  'ralex',
  (hypotheses, opts) => {
    lastHypotheses = hypotheses;
    return readSpeech(hypotheses, opts);
  },
  speechMargin ? Number(speechMargin) : undefined,
);
const baseline = make(baselineTranscriber.createTranscriber, 'baseline', baselineReadSpeech);
await Promise.all([setups.has('ralex') && ralex.warmUp(), setups.has('baseline') && baseline.warmUp()]);

type Clip = { command: SampleCommand; voice: BenchVoice; voiceIndex: number };
const clips: Clip[] = commands.flatMap((command, i) =>
  Array.from({ length: voicesPerCommand }, (_, k) => {
    const voiceIndex = (i + k) % BENCH_VOICES.length;
    return { command, voice: BENCH_VOICES[voiceIndex]!, voiceIndex };
  }),
);
type Row = {
  clip: Clip;
  ours: HeardOutcome;
  base: HeardOutcome;
  oursMs: number;
  baseMs: number;
  seconds: number;
  /** What Ralex's decoding passes heard (null: nothing, or Ralex not run). */
  hypotheses: readonly SpeechHypothesis[] | null;
};

/**
 * On a loaded machine a decoder may miss its 20 s answer and be killed; the next request gets a
 * fresh one, so a clip is tried once more, then counted as heard as nothing.
 */
let decoderFailures = 0;
async function transcribeWithRetry(transcriber: Transcriber, wav: Buffer) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await transcriber.transcribe(wav);
    } catch {
      decoderFailures += 1;
      if (attempt >= 1) return { text: '', engine: 'pocketsphinx', audioSeconds: 0, certainty: undefined };
    }
  }
}

async function runCondition(condition: AudioCondition): Promise<Row[]> {
  const rows: Row[] = [];
  for (const clip of clips) {
    const wav = await recordedWav(clip.command.say, clip.voice, condition);
    // Alternate which goes first, so neither always meets a warmer cache.
    const order = (rows.length % 2 === 0 ? (['ours', 'base'] as const) : (['base', 'ours'] as const)).filter(
      (who) => setups.has(who === 'ours' ? 'ralex' : 'baseline'),
    );
    let hypotheses: readonly SpeechHypothesis[] | null = null;
    const out: Partial<Record<'ours' | 'base', { outcome: HeardOutcome; ms: number; seconds: number }>> = {};
    for (const who of order) {
      const started = performance.now();
      lastHypotheses = null;
      const result = await transcribeWithRetry(who === 'ours' ? ralex : baseline, wav);
      const ms = performance.now() - started;
      if (who === 'ours') hypotheses = lastHypotheses;
      const speech = result.certainty
        ? {
            confidence: result.certainty.confidence,
            triggerConfidence: result.certainty.triggerConfidence,
            engine: result.engine,
          }
        : null;
      const outcome =
        who === 'ours'
          ? judgeHeard(
              clip.command,
              result.text,
              files,
              speech ?? { confidence: 0.5, triggerConfidence: 0.5, engine: result.engine },
            )
          : judgeHeard(
              clip.command,
              result.text,
              files,
              baselineCheck ? speech : null,
              baselineParse,
              baselineCheck,
            );
      out[who] = { outcome, ms, seconds: result.audioSeconds };
    }
    const skipped = out.ours ?? out.base!;
    rows.push({
      clip,
      ours: (out.ours ?? skipped).outcome,
      base: (out.base ?? skipped).outcome,
      oursMs: (out.ours ?? skipped).ms,
      baseMs: (out.base ?? skipped).ms,
      seconds: skipped.seconds,
      hypotheses,
    });
  }
  return rows;
}

const pct = (n: number, of: number) => (of === 0 ? '–' : `${((100 * n) / of).toFixed(1)}%`);
const count = (rows: readonly Row[], who: 'ours' | 'base', key: keyof HeardOutcome) =>
  rows.filter((r) => r[who][key] === true).length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const noTrigger = (rows: readonly Row[]) => rows.filter((r) => !r.clip.command.autoSubmit).length;

function summaryLine(label: string, rows: readonly Row[], who: 'ours' | 'base'): string {
  const n = rows.length;
  const ms = rows.map((r) => (who === 'ours' ? r.oursMs : r.baseMs));
  return `| ${label} | ${n} | ${pct(count(rows, who, 'fullyRight'), n)} | ${pct(count(rows, who, 'askedBack'), n)} | ${count(rows, who, 'harmful')} | ${count(rows, who, 'falseAutoSubmit')} (${pct(count(rows, who, 'falseAutoSubmit'), noTrigger(rows))}) | ${median(ms).toFixed(0)} |`;
}

const FAMILIES: Record<string, readonly string[]> = {
  'answers and controls': ['confirm', 'deny', 'cancel', 'status', 'repeat'],
  'undo/redo/push/commit': ['undo', 'redo', 'push', 'commit'],
  'direct (tests, files, changes)': ['run_tests', 'what_changed', 'show_file', 'list_files'],
  'changes by the model': ['fix_bug', 'implement', 'refactor', 'test'],
  'reading and questions': ['explain', 'review', 'question'],
};

const all: { condition: AudioCondition; rows: Row[] }[] = [];
const started = performance.now();
for (const condition of conditions) all.push({ condition, rows: await runCondition(condition) });
await Promise.all([ralex.close(), baseline.close()]);
rmSync(work, { recursive: true, force: true });

console.log(
  `voice heard bench — ${phraseSet} set: ${commands.length} commands × ${voicesPerCommand} of ${BENCH_VOICES.length} voices = ${clips.length} clips per condition; baseline ${baselineRef} (${baselineCommit}); ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )}; ${((performance.now() - started) / 1000).toFixed(0)} s; decoder failures (retried) ${decoderFailures}; setups ${[...setups].join(', ')} (a setup not run shows the other's figures)\n`,
);
console.log(
  '| condition / setup | clips | fully right | asked back | harmful acted | false auto-submits (of no-trigger) | median ms |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
const ran = (who: 'ours' | 'base') => setups.has(who === 'ours' ? 'ralex' : 'baseline');
for (const { condition, rows } of all) {
  if (ran('ours')) console.log(summaryLine(`${condition.id}: Ralex`, rows, 'ours'));
  if (ran('base')) console.log(summaryLine(`${condition.id}: ${baselineRef} (baseline)`, rows, 'base'));
}
const noisy = all.filter((a) => a.condition.snrDb !== null).flatMap((a) => a.rows);
if (noisy.length > 0) {
  if (ran('ours')) console.log(summaryLine('all noisy: Ralex', noisy, 'ours'));
  if (ran('base')) console.log(summaryLine(`all noisy: ${baselineRef}`, noisy, 'base'));
}
const last = all.at(-1)!;
console.log(
  `\nper intent family, ${last.condition.id} (${last.condition.label}): fully right / asked back, Ralex vs baseline`,
);
for (const { condition, rows: conditionRows } of all) {
  console.log(`\n${condition.id}: right / asked back / harmful acted per family`);
  console.log(
    '| family | clips | Ralex right | Ralex asked | Ralex harmful | baseline right | baseline asked | baseline harmful |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [family, intents] of Object.entries(FAMILIES)) {
    const rows = conditionRows.filter((r) => intents.includes(r.clip.command.intent));
    const cells = (who: 'ours' | 'base') =>
      `${pct(count(rows, who, 'fullyRight'), rows.length)} | ${pct(count(rows, who, 'askedBack'), rows.length)} | ${count(rows, who, 'harmful')}`;
    console.log(`| ${family} | ${rows.length} | ${cells('ours')} | ${cells('base')} |`);
  }
}
console.log(`\nper voice, ${last.condition.id}: fully right, Ralex vs baseline`);
console.log('| voice | clips | Ralex | baseline |');
console.log('|---|---:|---:|---:|');
BENCH_VOICES.forEach((voice, i) => {
  const rows = last.rows.filter((r) => r.clip.voiceIndex === i);
  if (rows.length > 0)
    console.log(
      `| ${voice.voice} ${voice.speed} | ${rows.length} | ${pct(count(rows, 'ours', 'fullyRight'), rows.length)} | ${pct(count(rows, 'base', 'fullyRight'), rows.length)} |`,
    );
});
for (const who of ['ours', 'base'] as const) {
  if (!ran(who)) continue;
  const unsafe = all.flatMap((a) =>
    a.rows
      .filter((r) => r[who].harmful || r[who].falseAutoSubmit)
      .map(
        (r) =>
          `  ${a.condition.id} "${r.clip.command.say}" [${r.clip.voice.voice} ${r.clip.voice.speed}] → "${r[who].heard}" → ${r[who].intent}`,
      ),
  );
  const name = who === 'ours' ? 'Ralex' : baselineRef;
  console.log(`\n${name} acted wrongly (harmful or false auto-submit):\n${unsafe.join('\n') || '  none'}`);
}
const dump = arg('dump', '');
if (dump)
  writeFileSync(
    dump,
    JSON.stringify(
      all.map((a) => ({ condition: a.condition.id, rows: a.rows })),
      null,
      1,
    ),
  );
console.log(
  `targets (issue 16, noisy): >= 75% fully right, 0 harmful, <= 1% false auto-submits, <= 10% asked back`,
);
