import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../runtime.js';
import { registerSpeechRoute } from './speech-route.js';
import { registerTranscriptionRoutes } from './transcription-routes.js';

/**
 * The OpenAI audio routes: speech to text in OpenAI's multipart shape (`/audio/transcriptions`,
 * `/audio/translations`), so Open WebUI and other clients can use Ralex as their recogniser, and
 * text to speech (`/audio/speech`) — a configured provider, or espeak-ng offline.
 */
export async function registerAudioRoutes(app: FastifyInstance, rt: Runtime): Promise<void> {
  const voice = rt.config.preferences.voice;
  await app.register(multipart, {
    limits: { fileSize: voice.max_bytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
  });
  registerTranscriptionRoutes(app, rt);
  registerSpeechRoute(app, rt);
}
