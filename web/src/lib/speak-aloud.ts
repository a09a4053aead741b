/** Reads a summary aloud with the browser's speech synthesis; a no-op where there is none. */
export function speakAloud(text: string): void {
  const synth = globalThis.speechSynthesis;
  if (!synth || !text.trim()) return;
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.rate = 1.05;
  synth.speak(utterance);
}
