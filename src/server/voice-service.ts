import { join } from 'node:path';
import type { ParsedCommand } from '../command/parsed-command.js';
import { parseCommand } from '../pipeline/parse/parse-command.js';
import { readSpeech } from '../pipeline/parse/read-speech.js';
import type { Runtime } from '../runtime.js';
import { heardSpeech } from '../voice/heard-speech.js';
import type { Transcriber } from '../voice/transcriber.js';
import { createTranscriber, type TranscriptionResult } from '../voice/transcriber.js';

/** A transcription plus what the parse stage makes of it, for the web app and `ralex transcribe`. */
export type VoiceTranscription = TranscriptionResult & {
  command: Pick<ParsedCommand, 'intent' | 'files' | 'autoSubmit' | 'trigger' | 'request'>;
};

/** Speech-to-text for one project: the configured engines, warm, with the project's own vocabulary. */
export interface VoiceService {
  transcribe(
    audio: Buffer,
    options: {
      mode: 'command' | 'dictation';
      task?: 'transcribe' | 'translate';
      prompt?: string;
      language?: string;
      signal?: AbortSignal;
    },
  ): Promise<VoiceTranscription>;
  /** Starts the offline recogniser ahead of the first request. */
  warmUp(): Promise<void>;
}

const services = new WeakMap<Runtime, VoiceService>();
/**
 * What a transcript no second pass checked is worth (dictation, an OpenAI-compatible engine):
 * enough to send a request, never enough to undo, push, commit, confirm or auto-submit unasked.
 */
const UNSCORED = 0.5;

/**
 * The project's voice service, made once per runtime: engines in the order preferences.yaml
 * gives (pocketsphinx offline with a vocabulary built from the project's file names, then any
 * OpenAI-compatible transcription endpoint), closed with the runtime.
 */
export function voiceService(rt: Runtime): VoiceService {
  const existing = services.get(rt);
  if (existing) return existing;
  const voice = rt.config.preferences.voice;
  const key =
    process.env[voice.transcription.api_key_env] ??
    (voice.transcription.api_key_env === 'OPENAI_API_KEY' ? rt.config.env.openaiApiKey : undefined);
  const baseURL =
    voice.transcription.base_url ??
    rt.config.env.openaiBaseUrl ??
    (key ? 'https://api.openai.com/v1' : undefined);
  let files: string[] = [];
  const transcriber: Transcriber = createTranscriber({
    engines: voice.engines,
    pocketsphinx: { cacheDir: join(rt.paths.cacheDir, 'voice'), files: () => files, readSpeech },
    openai: baseURL ? { baseURL, apiKey: key, model: voice.transcription.model } : undefined,
    limits: { maxSeconds: voice.max_seconds, maxBytes: voice.max_bytes },
  });
  rt.onClose(() => transcriber.close());
  const service: VoiceService = {
    async transcribe(audio, options) {
      files = await rt.files.list();
      const result = await transcriber.transcribe(audio, options);
      const parsed = parseCommand(result.text, { files });
      // The client sends the transcript back as a command: the pipeline then knows it was heard, and how surely.
      heardSpeech(rt).remember(result.text, {
        confidence: result.certainty?.confidence ?? UNSCORED,
        triggerConfidence: result.certainty?.triggerConfidence ?? UNSCORED,
        engine: result.engine,
      });
      return {
        ...result,
        command: {
          intent: parsed.intent,
          files: parsed.files,
          autoSubmit: parsed.autoSubmit,
          trigger: parsed.trigger,
          request: parsed.request,
        },
      };
    },
    async warmUp() {
      files = await rt.files.list();
      await transcriber.warmUp();
    },
  };
  services.set(rt, service);
  return service;
}
