import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { request as httpRequest } from 'undici';
import { z } from 'zod';
import { RalexError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import type { VoiceTranscription } from '../voice-service.js';

/** `POST /v1/audio/transcriptions` form fields besides the file (OpenAI's multipart shape). */
const TranscriptionFieldsSchema = z.object({
  model: z.string().optional(),
  language: z.string().optional(),
  prompt: z.string().optional(),
  response_format: z.enum(['json', 'text', 'verbose_json']).default('json'),
  /** Ralex's own: "dictation" for free text instead of the project's command vocabulary. */
  mode: z.enum(['command', 'dictation']).default('command'),
});

/** `POST /v1/audio/speech` body (OpenAI's shape). */
const SpeechRequestSchema = z.object({
  model: z.string().default('tts-1'),
  input: z
    .string()
    .min(1, 'input is required: the text to speak')
    .max(4096, "input is at most 4096 characters (OpenAI's limit)"),
  voice: z.string().optional(),
  response_format: z.enum(['wav', 'mp3']).default('mp3'),
  speed: z.number().min(0.25).max(4).optional(),
});

/**
 * The OpenAI audio routes: speech to text in OpenAI's multipart shape (so Open WebUI and other
 * clients can use Ralex as their speech recogniser; the JSON answer also carries the parsed
 * command), and text to speech — a configured provider, or espeak-ng offline.
 */
export async function registerAudioRoutes(app: FastifyInstance, rt: Runtime): Promise<void> {
  const voice = rt.config.preferences.voice;
  await app.register(multipart, {
    limits: { fileSize: voice.max_bytes, files: 1, fields: 10, fieldSize: 64 * 1024 },
  });

  app.post('/audio/transcriptions', async (request, reply) => {
    if (!request.isMultipart()) {
      throw new RalexError(
        'bad_request',
        'Send the audio as multipart/form-data with a "file" field (OpenAI\'s shape).',
      );
    }
    let audio: Buffer | null = null;
    const fields: Record<string, string> = {};
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer(); // read every file part, or the upload stalls
          if (part.fieldname === 'file') audio = bytes;
        } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new RalexError(
          'payload_too_large',
          `The audio is larger than ${Math.round(voice.max_bytes / 1024 / 1024)} MB.`,
          {
            hint: 'Send a shorter recording, or raise voice.max_bytes in .ralex/config/preferences.yaml.',
          },
        );
      }
      throw new RalexError('bad_request', `Malformed multipart upload: ${(error as Error).message}`);
    }
    if (!audio) throw new RalexError('bad_request', 'No "file" field: attach the audio as the "file" part.');
    const parsed = TranscriptionFieldsSchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RalexError('bad_request', `${issue.path.join('.')}: ${issue.message}`);
    }
    const { response_format: format, mode, prompt, language } = parsed.data;
    const { voiceService } = await import('../voice-service.js'); // the recogniser loads on first use
    const result = await voiceService(rt).transcribe(audio, { mode, prompt, language });
    if (format === 'text') return reply.type('text/plain; charset=utf-8').send(result.text);
    if (format === 'verbose_json') {
      return {
        task: 'transcribe',
        language: language ?? 'english',
        duration: result.audioSeconds,
        text: result.text,
        segments: [],
        ...extras(result),
      };
    }
    return { text: result.text, ...extras(result) };
  });

  app.post('/audio/speech', async (request, reply) => {
    const parsed = SpeechRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RalexError('bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const body = parsed.data;
    if (voice.speech.base_url) {
      const key = voice.speech.api_key_env ? process.env[voice.speech.api_key_env] : undefined;
      const upstream = await httpRequest(`${voice.speech.base_url.replace(/\/+$/, '')}/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ ...body, model: voice.speech.model }),
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
      }).catch((error: Error) => {
        throw new RalexError(
          'upstream_error',
          `The speech provider at ${voice.speech.base_url} failed: ${error.message}`,
        );
      });
      const bytes = Buffer.from(await upstream.body.arrayBuffer());
      return reply
        .status(upstream.statusCode)
        .type(String(upstream.headers['content-type'] ?? 'audio/mpeg'))
        .send(bytes);
    }
    const { speak } = await import('../../voice/speech-output.js');
    const audio = await speak(body.input, {
      voice: body.voice,
      speed: body.speed,
      format: body.response_format,
    });
    return reply.type(body.response_format === 'wav' ? 'audio/wav' : 'audio/mpeg').send(audio);
  });
}

/** Ralex's additions to the OpenAI answer: which engine answered, what was skipped, and the parsed command. */
function extras(result: VoiceTranscription) {
  return {
    engine: result.engine,
    fallbacks: result.fallbacks,
    duration_ms: Math.round(result.durationMs),
    command: result.command,
  };
}
