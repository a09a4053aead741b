/** The slice of the Web Speech API the app uses (prefixed in Chromium, absent in Firefox). */
interface RecognitionLike {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  onresult:
    | ((e: {
        resultIndex: number;
        results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }>;
      }) => void)
    | null;
  onerror: ((e: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
}

type RecognitionCtor = new () => RecognitionLike;

const ctor = (): RecognitionCtor | null => {
  const w = globalThis as unknown as {
    SpeechRecognition?: RecognitionCtor;
    webkitSpeechRecognition?: RecognitionCtor;
  };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition ?? null;
};

/** True when the browser has a speech recogniser (it may still fail, e.g. offline). */
export const hasBrowserSpeech = () => ctor() !== null;

/** A running browser recognition. */
export interface BrowserListening {
  /** Stops listening; resolves with the final transcript, or null when recognition failed. */
  stop(): Promise<string | null>;
  cancel(): void;
}

/**
 * Starts the browser's recogniser with interim results. `onText` gets the transcript so far
 * (final words plus the current guess); `onFail` is called once if it errors (offline, denied).
 */
export function listenInBrowser(
  onText: (text: string) => void,
  onFail: (reason: string) => void,
): BrowserListening {
  const Recognition = ctor();
  if (!Recognition) throw new Error('no SpeechRecognition');
  const recognition = new Recognition();
  recognition.lang = navigator.language || 'en-US';
  recognition.continuous = true;
  recognition.interimResults = true;
  let finalText = '';
  let latest = '';
  let failed: string | null = null;
  let ended: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    ended = resolve;
  });
  recognition.onresult = (e) => {
    let interim = '';
    finalText = '';
    for (let i = 0; i < e.results.length; i++) {
      const r = e.results[i]!;
      if (r.isFinal) finalText += r[0]!.transcript;
      else interim += r[0]!.transcript;
    }
    latest = `${finalText}${interim}`.trim();
    onText(latest);
  };
  recognition.onerror = (e) => {
    if (e.error === 'no-speech' || e.error === 'aborted') return;
    failed = e.error;
    onFail(e.error);
  };
  recognition.onend = () => ended();
  recognition.start();
  return {
    async stop() {
      recognition.stop();
      await Promise.race([done, new Promise((r) => setTimeout(r, 1500))]);
      return failed ? null : (finalText || latest).trim() || null;
    },
    cancel() {
      recognition.abort();
    },
  };
}
