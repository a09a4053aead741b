import type { SpeechEvidence } from '../command/parsed-command.js';

/** How long a transcript waits to be sent as a command (the web app sends at once; a chat client a little later). */
const KEEP_MS = 5 * 60_000;
/** Transcripts kept at most (the oldest go first). */
const KEEP_COUNT = 64;

/**
 * The transcripts this process's recogniser produced lately, with how sure it was, so the
 * pipeline knows that a command's text was heard rather than typed: a client (the web app, Open
 * WebUI's speech-to-text) sends the transcript back as the command's text. One transcript
 * vouches for one command.
 */
export interface HeardSpeech {
  remember(text: string, evidence: SpeechEvidence): void;
  /** The evidence for a command whose text is a recent transcript (forgotten once taken), or undefined. */
  take(text: string): SpeechEvidence | undefined;
}

const registries = new WeakMap<object, HeardSpeech>();

/** The registry of one runtime (`owner`), made on first use; `now` is injectable for tests. */
export function heardSpeech(owner: object, now: () => number = Date.now): HeardSpeech {
  const existing = registries.get(owner);
  if (existing) return existing;
  const entries = new Map<string, { at: number; evidence: SpeechEvidence }>();
  const registry: HeardSpeech = {
    remember(text, evidence) {
      const key = normalise(text);
      if (!key) return;
      entries.delete(key);
      entries.set(key, { at: now(), evidence });
      while (entries.size > KEEP_COUNT) entries.delete(entries.keys().next().value as string);
    },
    take(text) {
      const key = normalise(text);
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      return now() - entry.at <= KEEP_MS ? entry.evidence : undefined;
    },
  };
  registries.set(owner, registry);
  return registry;
}

/** Lowercase words only: a client may add a full stop or capitals to the transcript it sends. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
