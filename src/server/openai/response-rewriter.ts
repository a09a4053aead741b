/** How Ralex presents an upstream's chat answer: under the model the client asked for, plus its own notes. */
export interface Presentation {
  /** The `model` the client asked for (`ralex-auto`, `ralex-agent`, `provider:model`). */
  model: string;
  /** The model that answered, `provider:model`, in a field of its own. */
  routedModel: string;
  /** Appended to the answer's text (a chat that ran nothing says so). */
  note?: string;
  /** Rewrites a whole (non-streamed) answer's text, e.g. to the JSON object a client task asked for. */
  content?: (text: string) => string;
}

type Json = Record<string, unknown>;

function present(object: Json, presentation: Presentation): Json {
  return { ...object, model: presentation.model, routed_model: presentation.routedModel };
}

/** Rewrites a non-streamed `chat.completion` body; a body that is not JSON passes unchanged. */
export function rewriteCompletion(body: Buffer, presentation: Presentation): Buffer {
  let parsed: Json;
  try {
    parsed = JSON.parse(body.toString('utf8')) as Json;
  } catch {
    return body;
  }
  const choices = Array.isArray(parsed.choices) ? (parsed.choices as Json[]) : [];
  for (const choice of choices) {
    const message = choice.message as Json | undefined;
    if (!message || (typeof message.content !== 'string' && message.content != null)) continue;
    let text = (message.content as string | null) ?? '';
    if (presentation.content) text = presentation.content(text);
    if (presentation.note && (text || !message.tool_calls)) text += presentation.note;
    message.content = text;
  }
  return Buffer.from(JSON.stringify(present(parsed, presentation)));
}

/**
 * Rewrites an SSE stream of `chat.completion.chunk` events as it passes: each chunk gets the
 * client's model and the routed one; the note goes out as one more content delta just before
 * the chunk that carries the finish reason (or before `[DONE]`). Feed it text, write what it
 * returns.
 */
export function createStreamRewriter(presentation: Presentation) {
  let buffered = '';
  let noted = !presentation.note;
  let template: Json | null = null;

  const noteEvent = (): string => {
    noted = true;
    const base = template ?? { object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000) };
    const chunk = present(
      { ...base, choices: [{ index: 0, delta: { content: presentation.note }, finish_reason: null }] },
      presentation,
    );
    delete chunk.usage;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  };

  const rewriteEvent = (event: string): string => {
    const data = /^data: ?(.*)$/ms.exec(event)?.[1];
    if (data === undefined) return `${event}\n\n`;
    if (data.trim() === '[DONE]') return `${noted ? '' : noteEvent()}${event}\n\n`;
    let chunk: Json;
    try {
      chunk = JSON.parse(data) as Json;
    } catch {
      return `${event}\n\n`;
    }
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as Json[]) : [];
    if (!template && chunk.id) template = { id: chunk.id, object: chunk.object, created: chunk.created };
    const finishing = choices.some((c) => c.finish_reason != null);
    const before = finishing && !noted ? noteEvent() : '';
    return `${before}data: ${JSON.stringify(present(chunk, presentation))}\n\n`;
  };

  return {
    /** Takes raw stream text; returns the rewritten events that are complete so far. */
    push(text: string): string {
      buffered += text.replace(/\r\n/g, '\n');
      let out = '';
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (event.trim()) out += rewriteEvent(event);
        end = buffered.indexOf('\n\n');
      }
      return out;
    },
    /** The stream ended: whatever was left, and the note if no finish chunk came. */
    end(): string {
      const rest = buffered.trim() ? rewriteEvent(buffered) : '';
      buffered = '';
      return rest;
    },
  };
}
