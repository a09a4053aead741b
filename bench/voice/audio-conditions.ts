/**
 * Realistic bench audio: espeak-ng speech (test/voice/speech-fixtures.ts) placed in a recording the
 * way a microphone hears it — lead-in and tail of room tone, a noise floor instead of digital
 * zero, pink noise at a chosen signal-to-noise ratio and a little room reverb, all made with sox
 * (`-R`: repeatable, so the same clip comes out the same every run). Clips are cached on disk.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeWav, parseWav } from '../../src/voice/wav.js';
import { FIXTURE_CACHE_DIR, spokenWav } from '../../test/voice/speech-fixtures.js';

/** One recording condition. */
export interface AudioCondition {
  id: string;
  /** What it stands for, for the report. */
  label: string;
  /** RMS of the steady noise floor, dBFS (null: digital silence, as the old bench had). */
  floorDb: number | null;
  /** Pink noise at this speech-to-noise ratio, dB (null: none). */
  snrDb: number | null;
  /** sox `reverb` reverberance 0–100 (null: none). */
  reverb: number | null;
}

/** The conditions the bench reports, from the old bench's clean audio to a noisy room. */
export const CONDITIONS: readonly AudioCondition[] = [
  { id: 'clean', label: 'digital silence (old bench)', floorDb: null, snrDb: null, reverb: null },
  { id: 'floor', label: 'noise floor −70 dBFS', floorDb: -70, snrDb: null, reverb: null },
  { id: 'snr35', label: 'floor + reverb + pink noise 35 dB SNR', floorDb: -70, snrDb: 35, reverb: 20 },
  { id: 'snr27', label: 'floor + reverb + pink noise 27 dB SNR', floorDb: -70, snrDb: 27, reverb: 25 },
  { id: 'snr20', label: 'floor + reverb + pink noise 20 dB SNR', floorDb: -70, snrDb: 20, reverb: 30 },
];

/** The conditions that count as "with noise" for the targets (20–35 dB SNR, reverb). */
export const NOISY_CONDITION_IDS: readonly string[] = ['snr35', 'snr27', 'snr20'];

/** A speaker: an espeak-ng voice at a speed in words per minute. */
export interface BenchVoice {
  voice: string;
  speed: number;
}

/** Six voices and speeds: US and British, male and female variants, slow to fast. */
export const BENCH_VOICES: readonly BenchVoice[] = [
  { voice: 'en-us', speed: 150 },
  { voice: 'en-gb', speed: 150 },
  { voice: 'en-us+f3', speed: 140 },
  { voice: 'en-us', speed: 125 },
  { voice: 'en-us+m3', speed: 175 },
  { voice: 'en-gb-x-rp+f4', speed: 160 },
];

/** `text` spoken by `voice` and recorded under `condition`: 16 kHz mono 16-bit WAV. */
export async function recordedWav(
  text: string,
  voice: BenchVoice,
  condition: AudioCondition,
): Promise<Buffer> {
  const speech = await spokenWav(text, voice);
  if (condition.floorDb === null && condition.snrDb === null && condition.reverb === null) return speech;
  const key = createHash('sha256')
    .update(JSON.stringify(['v2', text, voice, condition]))
    .digest('hex')
    .slice(0, 24);
  const dir = path.join(FIXTURE_CACHE_DIR, 'conditions');
  const file = path.join(dir, `${key}.wav`);
  try {
    return readFileSync(file);
  } catch {
    // not made yet
  }
  mkdirSync(dir, { recursive: true });
  const work = path.join(dir, `${key}.${process.pid}`);
  try {
    const padded = `${work}-speech.wav`;
    // 0.4 s before and 0.5 s after: a recording starts before the first word and ends after the last.
    writeFileSync(padded, pad(speech, 0.4, 0.5));
    let current = padded;
    if (condition.reverb !== null) {
      const wet = `${work}-reverb.wav`;
      sox([
        current,
        wet,
        'reverb',
        String(condition.reverb),
        '50',
        '30',
        '100',
        '0',
        '0',
        'trim',
        '0',
        `${seconds(current)}`,
      ]);
      current = wet;
    }
    const pcm = parseWav(readFileSync(current)).data;
    const length = pcm.length / 2;
    const out = new Int16Array(length);
    const speechRms = activeRms(pcm);
    const noise = (kind: 'pinknoise' | 'whitenoise', seed: number) => {
      const target = `${work}-${kind}-${seed}.wav`;
      sox([
        '-R',
        '-n',
        '-r',
        '16000',
        '-c',
        '1',
        '-b',
        '16',
        target,
        'synth',
        String(length / 16000),
        kind,
        'vol',
        '0.5',
      ]);
      return samples(parseWav(readFileSync(target)).data);
    };
    const mix = (source: Int16Array | Float64Array, gain: number) => {
      for (let i = 0; i < length; i++) out[i] = clamp(out[i]! + gain * (source[i] ?? 0));
    };
    mix(samples(pcm), 1);
    if (condition.snrDb !== null) {
      const pink = noise('pinknoise', 1);
      mix(pink, speechRms / 10 ** (condition.snrDb / 20) / rms(pink));
    }
    if (condition.floorDb !== null) {
      const floor = noise('whitenoise', 2);
      mix(floor, (32768 * 10 ** (condition.floorDb / 20)) / rms(floor));
    }
    const wav = encodeWav(Buffer.from(out.buffer), 16000);
    writeFileSync(`${work}.wav`, wav);
    renameSync(`${work}.wav`, file);
    return wav;
  } finally {
    for (const suffix of ['-speech.wav', '-reverb.wav', '-pinknoise-1.wav', '-whitenoise-2.wav'])
      rmSync(`${work}${suffix}`, { force: true });
  }
}

function sox(args: string[]): void {
  execFileSync('sox', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function seconds(file: string): number {
  return parseWav(readFileSync(file)).durationSeconds;
}

function pad(wav: Buffer, before: number, after: number): Buffer {
  const data = parseWav(wav).data;
  return encodeWav(
    Buffer.concat([
      Buffer.alloc(Math.round(before * 16000) * 2),
      data,
      Buffer.alloc(Math.round(after * 16000) * 2),
    ]),
    16000,
  );
}

function samples(pcm: Buffer): Int16Array {
  return new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length));
}

function rms(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, values.length)) || 1;
}

/** RMS over the frames that carry speech (above 10% of the loudest 10 ms frame): SNR is about speech, not pauses. */
function activeRms(pcm: Buffer): number {
  const all = samples(pcm);
  const frames: number[] = [];
  for (let start = 0; start + 160 <= all.length; start += 160)
    frames.push(rms(all.subarray(start, start + 160)));
  const loudest = Math.max(1, ...frames);
  const active = frames.filter((f) => f > 0.1 * loudest);
  return Math.sqrt(active.reduce((s, f) => s + f * f, 0) / Math.max(1, active.length));
}

function clamp(value: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(value)));
}
