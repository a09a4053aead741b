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
  /** What the ledger charged for a whole answer: its `usage` carries `cost` (USD) and `cost_estimated`. */
  charged?: { cost: number | null; estimated: boolean };
}

type Json = Record<string, unknown>;

function present(object: Json, presentation: Presentation): Json {
  return { ...object, model: presentation.model, routed_model: presentation.routedModel };
}

/** Rewrites a non-streamed `chat.completion` body; a body that is not JSON passes unchanged. */
export function rewriteCompletion(body: Buffer, presentation: Presentation): Buffer {
  const parsed = parseCompletion(body);
  return parsed ? presentCompletion(parsed, presentation) : body;
}

/** A completion body parsed once (for the ledger's usage and the rewrite); null when it is not a JSON object. */
export function parseCompletion(body: Buffer): Json | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : null;
  } catch {
    return null;
  }
}

/** The parsed completion presented to the client (it is changed in place), serialised. */
export function presentCompletion(parsed: Json, presentation: Presentation): Buffer {
  const choices = Array.isArray(parsed.choices) ? (parsed.choices as Json[]) : [];
  for (const choice of choices) {
    const message = choice.message as Json | undefined;
    if (!message || (typeof message.content !== 'string' && message.content != null)) continue;
    let text = (message.content as string | null) ?? '';
    if (presentation.content) text = presentation.content(text);
    if (presentation.note && (text || !message.tool_calls)) text += presentation.note;
    message.content = text;
  }
  const charged = presentation.charged;
  if (charged && charged.cost !== null && typeof parsed.usage === 'object' && parsed.usage !== null)
    parsed.usage = {
      ...(parsed.usage as Json),
      cost: charged.cost,
      ...(charged.estimated ? { cost_estimated: true } : {}),
    };
  return Buffer.from(JSON.stringify(present(parsed, presentation)));
}

const MODEL_FIELD = /"model"\s*:\s*"(?:[^"\\]|\\.)*"/;
const ID_FIELD = /"id"\s*:\s*("(?:[^"\\]|\\.)*")/;
const CREATED_FIELD = /"created"\s*:\s*(\d+)/;
const FINISHING = /"finish_reason"\s*:\s*"/;

/**
 * Rewrites an SSE stream of `chat.completion.chunk` events as it passes: each chunk gets the
 * client's model and the routed one; the note goes out as one more content delta just before
 * the chunk that carries the finish reason (or before `[DONE]`). Feed it text, write what it
 * returns. Chunks are edited as text, not parsed: a streamed answer has many of them.
 */
export function createStreamRewriter(presentation: Presentation) {
  let buffered = '';
  let noted = !presentation.note;
  let id = '"chatcmpl-ralex"';
  let created = String(Math.floor(Date.now() / 1000));
  const fields = `"model":${JSON.stringify(presentation.model)},"routed_model":${JSON.stringify(presentation.routedModel)}`;

  const noteEvent = (): string => {
    noted = true;
    const delta = JSON.stringify({ content: presentation.note });
    return `data: {"id":${id},"object":"chat.completion.chunk","created":${created},${fields},"choices":[{"index":0,"delta":${delta},"finish_reason":null}]}\n\n`;
  };

  const rewriteEvent = (event: string): string => {
    if (!event.startsWith('data:') || event.includes('\n')) return `${event}\n\n`;
    const data = event.slice(5).trim();
    if (data === '[DONE]') return `${noted ? '' : noteEvent()}${event}\n\n`;
    if (!data.startsWith('{')) return `${event}\n\n`;
    if (id === '"chatcmpl-ralex"') {
      id = ID_FIELD.exec(data)?.[1] ?? id;
      created = CREATED_FIELD.exec(data)?.[1] ?? created;
    }
    const before = !noted && FINISHING.test(data) ? noteEvent() : '';
    const rewritten = MODEL_FIELD.test(data)
      ? data.replace(MODEL_FIELD, fields)
      : `{${fields},${data.slice(1)}`;
    return `${before}data: ${rewritten}\n\n`;
  };

  return {
    /** Takes raw stream text; returns the rewritten events that are complete so far. */
    push(text: string): string {
      buffered += text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
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
      const rest = buffered.trim() ? rewriteEvent(buffered.trim()) : '';
      buffered = '';
      return rest;
    },
  };
}
