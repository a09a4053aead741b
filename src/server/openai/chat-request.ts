import { z } from 'zod';

/** A message content part (text, image...) as OpenAI clients send them. */
const ContentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

/** One chat message; extra fields (name, tool_call_id...) pass through untouched. */
export const ChatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
});

/**
 * `POST /v1/chat/completions` body. Only what Ralex reads is checked; every other field is
 * passed on to the upstream unchanged, as OpenAI clients expect of a proxy.
 */
export const ChatRequestSchema = z.looseObject({
  model: z.string().min(1, 'model is required'),
  messages: z.array(ChatMessageSchema).min(1, 'messages must hold at least one message'),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().optional(),
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
