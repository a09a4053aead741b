import type { ApiClient } from './api-client.js';
import { type BrowserListening, hasBrowserSpeech, listenInBrowser } from './browser-speech.js';
import type { TranscriptionAnswer } from './event-types.js';
import { recordingToWav } from './recording-to-wav.js';
import type { Settings } from './settings.svelte.js';
import { endingTrigger } from './trigger-phrase.js';
import { type Recording, startRecording } from './voice-recorder.js';

/** Where voice input is. */
export type VoicePhase = 'idle' | 'starting' | 'listening' | 'transcribing' | 'error';

/** A finished utterance: its text and whether it asked to run at once. */
export interface Utterance {
  text: string;
  autoSubmit: boolean;
  engine: 'browser' | 'server';
}

/**
 * Voice input: the microphone is always recorded (MediaRecorder), and the browser's recogniser
 * runs beside it for a live transcript when it may. If the recogniser fails (offline, refused)
 * or the server engine is chosen, the recording becomes a 16 kHz WAV for
 * `POST /v1/audio/transcriptions`, whose parse says whether to auto-submit.
 */
export class VoiceInput {
  phase: VoicePhase = $state('idle');
  /** Microphone level 0..1. */
  level = $state(0);
  /** The live transcript (browser recogniser) while listening. */
  interim = $state('');
  error = $state('');
  private recording: Recording | null = null;
  private browser: BrowserListening | null = null;
  /** The browser recogniser failed with a lasting reason; use the server from now on. */
  private browserBroken = false;

  constructor(
    private readonly api: ApiClient,
    private readonly engine: () => Settings['voiceEngine'],
    private readonly onUtterance: (utterance: Utterance) => void,
  ) {}

  /** Opens the microphone and starts recording; "listening" only once recording runs. */
  async start(): Promise<void> {
    if (this.phase === 'starting' || this.phase === 'listening' || this.phase === 'transcribing') return;
    this.phase = 'starting';
    this.error = '';
    this.interim = '';
    try {
      this.recording = await startRecording((level) => {
        this.level = level;
      });
    } catch (error) {
      this.fail(micError(error));
      return;
    }
    const useBrowser = this.engine() !== 'server' && hasBrowserSpeech() && !this.browserBroken;
    if (useBrowser) {
      try {
        this.browser = listenInBrowser(
          (text) => {
            this.interim = text;
          },
          (reason) => {
            if (reason !== 'no-speech') this.browserBroken = true;
          },
        );
      } catch {
        this.browser = null;
      }
    }
    navigator.vibrate?.(12); // a small tick on phones: recording has started
    this.phase = 'listening';
  }

  /** Stops listening and turns the speech into text. */
  async stop(): Promise<void> {
    if (this.phase !== 'listening' || !this.recording) return;
    this.phase = 'transcribing';
    const recording = this.recording;
    const browser = this.browser;
    this.recording = null;
    this.browser = null;
    try {
      const [audio, heard] = await Promise.all([recording.stop(), browser ? browser.stop() : null]);
      if (heard) {
        this.deliver({ text: heard, autoSubmit: endingTrigger(heard) !== null, engine: 'browser' });
        return;
      }
      if (audio.size === 0) throw new Error('Nothing was recorded. Check the microphone.');
      const wav = await recordingToWav(audio);
      const form = new FormData();
      form.append('file', wav, 'speech.wav');
      form.append('model', 'whisper-1');
      form.append('response_format', 'json');
      form.append('mode', 'command'); // the project's command vocabulary; chat clients' STT gets dictation
      const answer = await this.api.upload<TranscriptionAnswer>('/v1/audio/transcriptions', form);
      const text = (answer.text ?? '').trim();
      if (!text) throw new Error('No words were recognised. Try again, a little closer to the microphone.');
      this.deliver({
        text,
        autoSubmit: answer.command?.autoSubmit ?? endingTrigger(text) !== null,
        engine: 'server',
      });
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  /** Forgets the last error (the user moved on, e.g. typed a command). */
  clearError(): void {
    if (this.phase === 'error') this.phase = 'idle';
    this.error = '';
  }

  /** Stops and discards. */
  cancel(): void {
    this.recording?.cancel();
    this.browser?.cancel();
    this.recording = null;
    this.browser = null;
    this.phase = 'idle';
    this.interim = '';
  }

  private deliver(utterance: Utterance) {
    this.phase = 'idle';
    this.interim = '';
    this.onUtterance(utterance);
  }

  private fail(message: string) {
    this.phase = 'error';
    this.error = message;
  }
}

function micError(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === 'NotAllowedError')
    return 'Microphone access was refused. Allow it in the browser, or type instead.';
  if (name === 'NotFoundError') return 'No microphone found. Type the command instead.';
  return error instanceof Error ? error.message : 'The microphone could not be opened.';
}
