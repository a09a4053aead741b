import { z } from 'zod';

/** A message content part (text, image...) as OpenAI clients send them. */
const ContentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

/** One chat message; extra fields (name, tool_call_id...) pass through untouched. */
export const ChatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
});

/**
 * `user`: OpenAI's end-user id is a string; Open WebUI's pipes and some gateways send the user as
 * an object (`{id, name, email, role}`). Both are accepted.
 */
const UserSchema = z.union([
  z.string(),
  z.looseObject({
    id: z.union([z.string(), z.number()]).optional(),
    email: z.string().optional(),
    name: z.string().optional(),
  }),
]);

/**
 * `POST /v1/chat/completions` body. Only what Ralex reads is checked; every other field is
 * passed on to the upstream unchanged, as OpenAI clients expect of a proxy.
 */
export const ChatRequestSchema = z.looseObject({
  model: z.string().min(1, 'model is required'),
  messages: z.array(ChatMessageSchema).min(1, 'messages must hold at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  user: UserSchema.nullish(),
  n: z.number().int().min(1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  tools: z.array(z.unknown()).nullish(),
  tool_choice: z.unknown().optional(),
  functions: z.array(z.unknown()).nullish(),
  response_format: z.looseObject({ type: z.string() }).nullish(),
  /** Open WebUI's own field (task name, chat id); usually stripped before it reaches an upstream. */
  metadata: z.looseObject({ chat_id: z.string().nullish(), task: z.string().nullish() }).nullish(),
});
/** A chat completions request body. */
export type ChatRequest = z.infer<typeof ChatRequestSchema>;
/** One chat message. */
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The plain text of a message, whether its content is a string or a list of parts. */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (!message.content) return '';
  return message.content
    .filter((p) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

/** The system (and developer) messages' text, joined: where clients put their task instructions. */
export function systemText(body: Pick<ChatRequest, 'messages'>): string {
  return body.messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map(messageText)
    .join('\n');
}

/** The last user message's text, or '' when there is none. */
export function lastUserText(body: Pick<ChatRequest, 'messages'>): string {
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  return last ? messageText(last) : '';
}

/** Tokens of an image part at the least a provider counts (OpenAI's low detail). */
const IMAGE_TOKENS = 85;

/**
 * The prompt's tokens as Ralex estimates them before sending (4 characters a token): every
 * message's text, the tool calls and results in the history, the tool definitions offered, and
 * images at the least they cost. A floor rather than a guess: the provider's usage settles the
 * charge, and a reported count far under this one is not believed.
 */
export function promptTokensOf(body: Pick<ChatRequest, 'messages' | 'tools' | 'functions'>): number {
  let chars = 0;
  let images = 0;
  for (const m of body.messages) {
    chars += messageText(m).length + 8;
    if (Array.isArray(m.content))
      images += m.content.filter((p) => p.type === 'image_url' || p.type === 'image').length;
    if (Array.isArray(m.tool_calls)) chars += JSON.stringify(m.tool_calls).length;
  }
  if (body.tools?.length) chars += JSON.stringify(body.tools).length;
  if (body.functions?.length) chars += JSON.stringify(body.functions).length;
  return Math.ceil(chars / 4) + images * IMAGE_TOKENS;
}
