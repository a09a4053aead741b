import type { FastifyInstance } from 'fastify';
import { request as httpRequest } from 'undici';
import { z } from 'zod';
import { RalexError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import { SPEECH_CONTENT_TYPES, SPEECH_FORMATS } from '../../voice/speech-encoding.js';

/** `POST /v1/audio/speech` body (OpenAI's shape; `instructions` and `stream_format` are accepted and unused offline). */
const SpeechRequestSchema = z.looseObject({
  model: z.string().default('tts-1'),
  input: z
    .string()
    .min(1, 'input is required: the text to speak')
    .max(4096, "input is at most 4096 characters (OpenAI's limit)"),
  voice: z.string().optional(),
  response_format: z.enum(SPEECH_FORMATS).default('mp3'),
  speed: z.number().min(0.25).max(4).optional(),
});

/**
 * `POST /audio/speech`: a configured speech provider (passed through), or espeak-ng offline in
 * any of OpenAI's formats — mp3, opus, aac, flac, wav, pcm (24 kHz mono s16le) — at the asked speed.
 */
export function registerSpeechRoute(app: FastifyInstance, rt: Runtime): void {
  const speech = rt.config.preferences.voice.speech;
  app.post('/audio/speech', { bodyLimit: 64 * 1024 }, async (request, reply) => {
    const parsed = SpeechRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RalexError('bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const body = parsed.data;
    if (speech.base_url) {
      const key = speech.api_key_env ? process.env[speech.api_key_env] : undefined;
      const upstream = await httpRequest(`${speech.base_url.replace(/\/+$/, '')}/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ ...body, model: speech.model }),
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
      }).catch((error: Error) => {
        throw new RalexError(
          'upstream_error',
          `The speech provider at ${speech.base_url} failed: ${error.message}`,
        );
      });
      const bytes = Buffer.from(await upstream.body.arrayBuffer());
      return reply
        .status(upstream.statusCode)
        .type(String(upstream.headers['content-type'] ?? SPEECH_CONTENT_TYPES[body.response_format]))
        .send(bytes);
    }
    const { speak } = await import('../../voice/speech-output.js');
    const audio = await speak(body.input, {
      voice: body.voice,
      speed: body.speed,
      format: body.response_format,
    });
    return reply.type(SPEECH_CONTENT_TYPES[body.response_format]).send(audio);
  });
}
