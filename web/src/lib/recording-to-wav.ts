import { downmix, encodeWav, SPEECH_SAMPLE_RATE } from './wav-encode.js';

/**
 * Turns a recording (webm/opus, ogg, mp4 — whatever MediaRecorder made) into a 16 kHz mono
 * 16-bit WAV: decoded and resampled by an OfflineAudioContext running at 16 kHz.
 */
export async function recordingToWav(recording: Blob): Promise<Blob> {
  const decoder = new OfflineAudioContext(1, 1, SPEECH_SAMPLE_RATE);
  const decoded = await decoder.decodeAudioData(await recording.arrayBuffer());
  let audio = decoded;
  if (decoded.sampleRate !== SPEECH_SAMPLE_RATE) {
    const length = Math.ceil(decoded.duration * SPEECH_SAMPLE_RATE);
    const resampler = new OfflineAudioContext(decoded.numberOfChannels, length, SPEECH_SAMPLE_RATE);
    const source = resampler.createBufferSource();
    source.buffer = decoded;
    source.connect(resampler.destination);
    source.start();
    audio = await resampler.startRendering();
  }
  const channels = Array.from({ length: audio.numberOfChannels }, (_, i) => audio.getChannelData(i));
  return new Blob([encodeWav(downmix(channels), SPEECH_SAMPLE_RATE)], { type: 'audio/wav' });
}
