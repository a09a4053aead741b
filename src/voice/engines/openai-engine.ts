import { z } from 'zod';
import { RalexError } from '../../errors.js';
import type { TranscriptionEngine } from '../transcription-engine.js';

/** Settings for any OpenAI-compatible transcription endpoint (OpenAI, Groq, whisper.cpp, speaches). */
export const OpenAiEngineOptionsSchema = z.object({
  /** e.g. "https://api.openai.com/v1" or "http://127.0.0.1:8080/v1". */
  baseURL: z.string().url(),
  apiKey: z.string().optional(),
  /** e.g. "whisper-1", "whisper-large-v3". */
  model: z.string().min(1),
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs: z.number().int().positive().optional(),
});
/** Settings for an OpenAI-compatible transcription endpoint; `fetch` is injectable for tests. */
export type OpenAiEngineOptions = z.infer<typeof OpenAiEngineOptionsSchema> & { fetch?: typeof fetch };

const ResponseSchema = z.object({ text: z.string() });

/** Creates an engine that POSTs the WAV as multipart to `{baseURL}/audio/transcriptions` (or `/audio/translations`). */
export function createOpenAiEngine(options: OpenAiEngineOptions): TranscriptionEngine {
  const settings = OpenAiEngineOptionsSchema.parse(options);
  const doFetch = options.fetch ?? fetch;
  const base = settings.baseURL.replace(/\/+$/, '');
  return {
    id: 'openai',
    async available() {
      return { ok: true };
    },
    async transcribe(wav16k, { prompt, language, signal, task }) {
      const started = performance.now();
      const url = `${base}/audio/${task === 'translate' ? 'translations' : 'transcriptions'}`;
      const form = new FormData();
      form.append('file', new Blob([Uint8Array.from(wav16k)], { type: 'audio/wav' }), 'audio.wav');
      form.append('model', settings.model);
      form.append('response_format', 'json');
      if (language && task !== 'translate') form.append('language', language);
      if (prompt) form.append('prompt', prompt);
      const timeout = AbortSignal.timeout(settings.timeoutMs ?? 30_000);
      const headers: Record<string, string> = settings.apiKey
        ? { authorization: `Bearer ${settings.apiKey}` }
        : {};
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          body: form,
          headers,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (signal?.aborted)
          throw new RalexError('cancelled', 'Transcription was cancelled.', { cause: error });
        if (timeout.aborted)
          throw new RalexError('upstream_timeout', `${url} did not answer in time.`, { cause: error });
        throw new RalexError('upstream_error', `${url} is unreachable: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const body = await response.text();
      if (!response.ok) {
        throw new RalexError(
          response.status === 429 ? 'rate_limited' : 'upstream_error',
          `${url} answered ${response.status}.`,
          {
            details: { status: response.status, body: body.slice(0, 500) },
          },
        );
      }
      const parsed = ResponseSchema.safeParse(safeJson(body));
      if (!parsed.success)
        throw new RalexError('upstream_error', `${url} sent no transcript text.`, {
          details: { body: body.slice(0, 500) },
        });
      return { text: parsed.data.text.trim(), durationMs: performance.now() - started };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
