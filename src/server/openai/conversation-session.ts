import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type ChatMessage, type ChatRequest, messageText } from './chat-request.js';

/** Where a chat's session came from, for the log and the answer's `ralex` field. */
export type SessionSource =
  | 'x-ralex-session'
  | 'x-openwebui-chat-id'
  | 'metadata.chat_id'
  | 'x-session-id'
  | 'history'
  | 'new';

/** A chat's Ralex session and how it was found. */
export interface ConversationSession {
  sessionId: string;
  source: SessionSource;
  /** Set when the session came from the history: remember the answer under it (`rememberAnswer`). */
  scope: string | null;
}

/**
 * Which session each answered conversation belongs to, keyed by a digest of the conversation up
 * to and including Ralex's answer, so the next turn — which resends that history — finds it.
 * Bounded: the oldest entries go first.
 */
export interface ConversationIndex {
  find(key: string): string | undefined;
  remember(key: string, sessionId: string): void;
}

/** Creates an in-memory conversation index holding at most `limit` conversations. */
export function createConversationIndex(limit = 10_000): ConversationIndex {
  const entries = new Map<string, string>();
  return {
    find: (key) => entries.get(key),
    remember(key, sessionId) {
      entries.delete(key);
      entries.set(key, sessionId);
      if (entries.size > limit) entries.delete(entries.keys().next().value as string);
    },
  };
}

const SAFE_ID = /^[\w-]{1,64}$/;

/** A session id from a client's id: kept when it is safe, hashed when not. */
function fromClientId(prefix: string, id: string): string {
  return SAFE_ID.test(id) ? `${prefix}${id}`.slice(0, 80) : `${prefix}${digest([id])}`;
}

function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex').slice(0, 20);
}

/** A message as it comes back from a client: reasoning blocks dropped, whitespace collapsed. */
function normalized(message: ChatMessage): string {
  const text = messageText(message)
    .replace(/<details\b[^>]*>[\s\S]*?<\/details>/g, '')
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `${message.role}:${text}`;
}

/** The conversation's user and assistant turns (system prompts change between turns: dates, tools). */
function turns(messages: readonly ChatMessage[]): string[] {
  return messages.filter((m) => m.role === 'user' || m.role === 'assistant').map(normalized);
}

/** The history before the trailing user message(s): what the client resends of earlier turns. */
function priorTurns(messages: readonly ChatMessage[]): string[] {
  const all = turns(messages);
  let end = all.length;
  while (end > 0 && all[end - 1]!.startsWith('user:')) end -= 1;
  return all.slice(0, end);
}

/** `user` as a string: OpenAI's end-user id, or the id/email/name of Open WebUI's user object. */
function userId(user: ChatRequest['user']): string | null {
  if (!user) return null;
  if (typeof user === 'string') return user || null;
  const id = user.id ?? user.email ?? user.name;
  return id === undefined || id === '' ? null : String(id);
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() ? text.trim() : null;
}

/**
 * The session a chat request belongs to. A conversation id the client sends wins: the
 * `x-ralex-session` header, Open WebUI's `X-OpenWebUI-Chat-Id` header (sent with
 * ENABLE_FORWARD_USER_INFO_HEADERS) or `metadata.chat_id`, OpenCode's `x-session-id`. Without
 * one, the whole history decides: a conversation Ralex answered before is found by its history
 * (within the `user`, when one is sent — an end-user id is not a conversation id); a new one gets
 * a new session — never one shared by every chat that begins with the same words.
 */
export function conversationSession(
  headers: IncomingHttpHeaders,
  body: Pick<ChatRequest, 'messages' | 'metadata' | 'user'>,
  index: ConversationIndex,
): ConversationSession {
  const pinned = header(headers, 'x-ralex-session');
  if (pinned && SAFE_ID.test(pinned)) return { sessionId: pinned, source: 'x-ralex-session', scope: null };
  const chat = header(headers, 'x-openwebui-chat-id');
  if (chat) return { sessionId: fromClientId('owui_', chat), source: 'x-openwebui-chat-id', scope: null };
  const meta = body.metadata?.chat_id?.trim();
  if (meta) return { sessionId: fromClientId('owui_', meta), source: 'metadata.chat_id', scope: null };
  const opencode = header(headers, 'x-session-id');
  if (opencode) return { sessionId: fromClientId('oc_', opencode), source: 'x-session-id', scope: null };

  const scope = userId(body.user) ?? '';
  const prior = priorTurns(body.messages);
  if (prior.length) {
    const known = index.find(digest([scope, ...prior]));
    if (known) return { sessionId: known, source: 'history', scope };
    // A history Ralex did not answer (another model's, or edited): the same history, the same session.
    return { sessionId: `oai_${digest([scope, ...prior])}`, source: 'history', scope };
  }
  return { sessionId: `oai_${randomBytes(10).toString('hex')}`, source: 'new', scope };
}

/** Records Ralex's answer so the conversation's next turn finds its session. */
export function rememberAnswer(
  index: ConversationIndex,
  session: ConversationSession,
  messages: readonly ChatMessage[],
  answer: string,
): void {
  if (session.scope === null) return;
  const history = [...turns(messages), normalized({ role: 'assistant', content: answer })];
  index.remember(digest([session.scope, ...history]), session.sessionId);
}
