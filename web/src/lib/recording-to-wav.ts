import { downmix, encodeWav, resampleLinear, SPEECH_SAMPLE_RATE } from './wav-encode.js';

/**
 * Turns a recording (webm/opus, ogg, mp4 — whatever MediaRecorder made) into a 16 kHz mono
 * 16-bit WAV: decoded by an OfflineAudioContext running at 16 kHz (which resamples), or, where
 * a browser refuses that rate, decoded at its own rate and resampled here.
 */
export async function recordingToWav(recording: Blob): Promise<Blob> {
  const bytes = await recording.arrayBuffer();
  let decoder: BaseAudioContext;
  try {
    decoder = new OfflineAudioContext(1, 1, SPEECH_SAMPLE_RATE);
  } catch {
    decoder = new OfflineAudioContext(1, 1, 44_100);
  }
  const audio = await decoder.decodeAudioData(bytes);
  const channels = Array.from({ length: audio.numberOfChannels }, (_, i) => audio.getChannelData(i));
  const mono = downmix(channels);
  const samples =
    audio.sampleRate === SPEECH_SAMPLE_RATE
      ? mono
      : resampleLinear(mono, audio.sampleRate, SPEECH_SAMPLE_RATE);
  return new Blob([encodeWav(samples, SPEECH_SAMPLE_RATE)], { type: 'audio/wav' });
}
