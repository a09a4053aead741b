import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RalexError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import { toSrt, toVtt } from '../../voice/transcript-segments.js';
import type { VoiceTranscription } from '../voice-service.js';

/** The multipart fields besides the file (OpenAI's shape; unknown fields, e.g. `temperature`, are accepted). */
const TranscriptionFieldsSchema = z.looseObject({
  model: z.string().optional(),
  language: z.string().optional(),
  prompt: z.string().optional(),
  response_format: z.enum(['json', 'text', 'verbose_json', 'srt', 'vtt']).default('json'),
  /**
   * Ralex's own. `command`: the project's command vocabulary (the web app asks for it);
   * `dictation`: free speech, no command vocabulary; `auto` (the default): dictation, since a
   * request without command context is a chat client's speech-to-text.
   */
  mode: z.enum(['command', 'dictation', 'auto']).default('auto'),
});

/** Reads the upload and its fields, with the limits' errors in Ralex's terms. */
async function readUpload(request: FastifyRequest, maxBytes: number) {
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
        `The audio is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`,
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
  return { audio, fields: parsed.data };
}

/** Ralex's additions to the OpenAI answer: the engine, what was skipped, the mode, the parsed command and how sure the recogniser was. */
function extras(result: VoiceTranscription) {
  return {
    engine: result.engine,
    mode: result.mode,
    fallbacks: result.fallbacks,
    duration_ms: Math.round(result.durationMs),
    command: result.command,
    ...(result.certainty ? { certainty: result.certainty } : {}),
  };
}

/**
 * `POST /audio/transcriptions` and `POST /audio/translations` (to English): the answer as json,
 * text, verbose_json (with timed segments), srt or vtt. The JSON answers also carry which
 * engine and mode answered and the parsed command.
 */
export function registerTranscriptionRoutes(app: FastifyInstance, rt: Runtime): void {
  const voice = rt.config.preferences.voice;
  for (const task of ['transcribe', 'translate'] as const) {
    const path = task === 'transcribe' ? '/audio/transcriptions' : '/audio/translations';
    app.post(path, async (request, reply) => {
      const { audio, fields } = await readUpload(request, voice.max_bytes);
      const mode = fields.mode === 'command' ? 'command' : 'dictation';
      const language = task === 'translate' ? undefined : fields.language;
      const { voiceService } = await import('../voice-service.js'); // the recogniser loads on first use
      const result = await voiceService(rt).transcribe(audio, {
        mode,
        task,
        prompt: fields.prompt,
        language,
      });
      const format = fields.response_format;
      if (format === 'text') return reply.type('text/plain; charset=utf-8').send(result.text);
      if (format === 'srt') return reply.type('text/plain; charset=utf-8').send(toSrt(result.segments));
      if (format === 'vtt') return reply.type('text/vtt; charset=utf-8').send(toVtt(result.segments));
      if (format === 'verbose_json') {
        return {
          task,
          language: task === 'translate' ? 'english' : (language ?? 'english'),
          duration: result.audioSeconds,
          text: result.text,
          segments: result.segments.map((s) => ({
            ...s,
            seek: 0,
            tokens: [],
            temperature: 0,
            avg_logprob: 0,
            compression_ratio: 1,
            no_speech_prob: 0,
          })),
          ...extras(result),
        };
      }
      return { text: result.text, ...extras(result) };
    });
  }
}
