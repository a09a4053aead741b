/** Characters per token when bounding an answer by `max_tokens` (OpenAI's rule of thumb for English). */
export const CHARS_PER_TOKEN = 4;

/** Why an answer ended: whole, at a stop sequence, or at the token bound. */
export type ShapedFinish = 'stop' | 'length';

/**
 * Applies a request's `max_tokens` and `stop` to an answer that arrives in pieces: `push` returns
 * what may be sent now (holding back just enough to catch a stop sequence split across pieces),
 * `end` the rest. The answer stops before the first stop sequence; past the token bound it is cut
 * and `finish` becomes "length". The command itself is not cut short — only its answer.
 */
export function createAnswerShaper(options: { maxTokens?: number | null; stop?: string | string[] | null }) {
  const stops = (typeof options.stop === 'string' ? [options.stop] : (options.stop ?? [])).filter(Boolean);
  const hold = Math.max(0, ...stops.map((s) => s.length - 1));
  const budget = options.maxTokens ? options.maxTokens * CHARS_PER_TOKEN : Number.POSITIVE_INFINITY;
  let pending = '';
  let sent = 0;
  let done = false;
  let finish: ShapedFinish = 'stop';

  const release = (text: string): string => {
    if (sent + text.length <= budget) {
      sent += text.length;
      return text;
    }
    done = true;
    finish = 'length';
    const room = Math.max(0, budget - sent);
    sent += room;
    return text.slice(0, room);
  };

  return {
    /** Adds a piece of the answer; returns the text that can go out now. */
    push(piece: string): string {
      if (done) return '';
      pending += piece;
      let cut = -1;
      for (const stop of stops) {
        const at = pending.indexOf(stop);
        if (at >= 0 && (cut < 0 || at < cut)) cut = at;
      }
      if (cut >= 0) {
        done = true;
        const out = release(pending.slice(0, cut));
        pending = '';
        return out;
      }
      const ready = pending.slice(0, Math.max(0, pending.length - hold));
      pending = pending.slice(ready.length);
      return release(ready);
    },
    /** The answer is complete: whatever was held back. */
    end(): string {
      if (done) return '';
      done = true;
      const out = release(pending);
      pending = '';
      return out;
    },
    /** "length" once the bound cut the answer, else "stop". */
    get finish(): ShapedFinish {
      return finish;
    },
  };
}
