/** Container formats Ralex recognises by their first bytes. */
export const AUDIO_FORMATS = ['wav', 'webm', 'ogg', 'mp3', 'mp4', 'flac'] as const;
/** One recognised audio container. */
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** Detects the container from magic bytes; null when it is none of AUDIO_FORMATS. */
export function detectAudioFormat(bytes: Buffer): AudioFormat | null {
  const ascii = (start: number, end: number) => bytes.toString('latin1', start, end);
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (bytes.length >= 8 && ascii(4, 8) === 'ftyp') return 'mp4';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  // A bare MPEG audio frame: 11 sync bits, layer bits not 00, bitrate index not 1111.
  const [b0 = 0, b1 = 0, b2 = 0] = bytes;
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0 && (b2 & 0xf0) !== 0xf0) return 'mp3';
  return null;
}

/** True when an Ogg stream carries Opus (sox reads Ogg Vorbis only). */
export function isOggOpus(bytes: Buffer): boolean {
  return bytes.subarray(0, 512).includes('OpusHead', 0, 'latin1');
}
