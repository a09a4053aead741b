/**
 * Voice bench: offline recognition of spoken commands over a sample project, side by side with
 * baselines in the same run. Run: `node --import tsx bench/voice-bench.ts`.
 *  - accuracy: spoken command → (pocketsphinx) text → parseCommand → right intent + files + auto-submit
 *  - control words in five voices
 *  - latency from uploaded bytes to parsed command for a ~3 s utterance, warm vs a process per request
 * Baselines: the stock general model without the project vocabulary; a cold process per request.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCommand } from '../src/pipeline/parse/parse-command.js';
import { readSpeech } from '../src/pipeline/parse/read-speech.js';
import { createTranscriber, type Transcriber } from '../src/voice/transcriber.js';
import {
  CONTROL_COMMANDS,
  SAMPLE_COMMANDS,
  SAMPLE_FILES,
  type SampleCommand,
  VOICES,
} from '../test/voice/sample-project.js';
import { spokenWav } from '../test/voice/speech-fixtures.js';

const files = [...SAMPLE_FILES];
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'ralex-voice-bench-'));
type Voice = { voice: string; speed: number };
const voiceAt = (i: number) => VOICES[i % VOICES.length] as Voice;

function transcriber(options: { keepWarm: boolean; projectVocabulary: boolean }): Transcriber {
  return createTranscriber({
    engines: ['pocketsphinx'],
    pocketsphinx: { cacheDir, files: () => files, readSpeech, ...options },
  });
}

async function accuracy(t: Transcriber, items: { command: SampleCommand; voice: Voice }[]) {
  let right = 0;
  let audio = 0;
  let busy = 0;
  const misses: string[] = [];
  for (const { command, voice } of items) {
    const wav = await spokenWav(command.say, voice);
    const started = performance.now();
    const result = await t.transcribe(wav);
    const parsed = parseCommand(result.text, { files });
    busy += performance.now() - started;
    audio += result.audioSeconds;
    const ok =
      parsed.intent === command.intent &&
      JSON.stringify([...parsed.files].sort()) === JSON.stringify([...command.files].sort()) &&
      parsed.autoSubmit === command.autoSubmit;
    if (ok) right += 1;
    else
      misses.push(
        `  "${command.say}" [${voice.voice} ${voice.speed}] → "${result.text}" → ${parsed.intent} ${parsed.files.join(',')}`,
      );
  }
  return { right, total: items.length, rtf: busy / 1000 / audio, misses };
}

async function latency(t: Transcriber, wav: Buffer, runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await t.transcribe(wav);
    parseCommand(result.text, { files });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, max: times[times.length - 1] as number };
}

const pct = (r: { right: number; total: number }) =>
  `${((100 * r.right) / r.total).toFixed(1)}% (${r.right}/${r.total})`;
const commands = SAMPLE_COMMANDS.map((command, i) => ({ command, voice: voiceAt(i) }));
const controls = VOICES.flatMap((voice) => CONTROL_COMMANDS.map((command) => ({ command, voice })));
// The latency utterance: the command whose en-us recording is closest to 3 s.
const timed = await Promise.all(
  SAMPLE_COMMANDS.map(async (c) => ({
    say: c.say,
    wav: await spokenWav(c.say, { voice: 'en-us', speed: 150 }),
  })),
);
const closest = timed.reduce((best, t) =>
  Math.abs(t.wav.length / 32_000 - 3) < Math.abs(best.wav.length / 32_000 - 3) ? t : best,
);
const threeSeconds = closest.wav;
const seconds = (threeSeconds.length - 44) / 32_000;

const warm = transcriber({ keepWarm: true, projectVocabulary: true });
let started = performance.now();
await warm.warmUp();
const buildMs = performance.now() - started;
const project = await accuracy(warm, commands);
const control = await accuracy(warm, controls);
const warmLatency = await latency(warm, threeSeconds, 10);

const cold = transcriber({ keepWarm: false, projectVocabulary: true });
const coldLatency = await latency(cold, threeSeconds, 5);
const coldAccuracy = await accuracy(
  cold,
  commands.filter((_, i) => i % 3 === 0),
);

const general = transcriber({ keepWarm: true, projectVocabulary: false });
started = performance.now();
await general.warmUp();
const generalStartMs = performance.now() - started;
const stock = await accuracy(
  general,
  commands.filter((_, i) => i % 4 === 0),
);
const stockControl = await accuracy(
  general,
  controls.filter((_, i) => i % 4 === 0),
);
const generalLatency = await latency(general, threeSeconds, 3);
await Promise.all([warm.close(), cold.close(), general.close()]);

console.log(
  `voice bench — ${SAMPLE_COMMANDS.length} commands, ${VOICES.length} espeak-ng voices, ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end`,
);
console.log(
  `project vocabulary build + decoder start: ${buildMs.toFixed(0)} ms; general model start: ${generalStartMs.toFixed(0)} ms\n`,
);
console.log(
  '| setup | commands right (intent+files+auto-submit) | control words | RTF (set) | 3 s utterance bytes→parsed (median / max) |',
);
console.log('|---|---|---|---|---|');
console.log(
  `| project vocabulary, warm (Ralex) | ${pct(project)} | ${pct(control)} | ${project.rtf.toFixed(3)} | ${warmLatency.median.toFixed(0)} / ${warmLatency.max.toFixed(0)} ms (RTF ${(warmLatency.median / 1000 / seconds).toFixed(3)}) |`,
);
console.log(
  `| project vocabulary, process per request | ${pct(coldAccuracy)} (every 3rd) | – | ${coldAccuracy.rtf.toFixed(3)} | ${coldLatency.median.toFixed(0)} / ${coldLatency.max.toFixed(0)} ms |`,
);
console.log(
  `| stock general model, warm (baseline) | ${pct(stock)} (every 4th) | ${pct(stockControl)} | ${stock.rtf.toFixed(3)} | ${generalLatency.median.toFixed(0)} / ${generalLatency.max.toFixed(0)} ms |`,
);
console.log(
  `\nutterance for latency: "${closest.say}", ${seconds.toFixed(2)} s; targets: >= 90% commands, >= 98% control words, <= 500 ms, RTF <= 0.2`,
);
console.log(
  `\nmisses (project vocabulary, warm):\n${[...project.misses, ...control.misses].join('\n') || '  none'}`,
);
