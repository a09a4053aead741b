import { type ChatRequest, lastUserText, messageText } from './chat-request.js';
import type { ClientTask } from './client-task.js';

const FILLER =
  /^(?:please|hey|hi|ok|okay|so|um|uh|can you|could you|would you|i want you to|i need you to)\b[\s,]*/i;

/** The conversation's first user words, as the client quoted them in the task. */
function firstUserWords(body: Pick<ChatRequest, 'messages'>): string {
  const task = lastUserText(body);
  // Open WebUI renders the chat as "USER: …\nASSISTANT: …" inside <chat_history>.
  const history = /<chat_history>\s*([\s\S]*?)\s*<\/chat_history>/.exec(task)?.[1];
  if (history) {
    const line = /^USER:\s*(.+)$/m.exec(history)?.[1];
    if (line) return line;
  }
  // OpenCode: the user's prompt is the last user message ("Generate a title…" comes before it).
  const users = body.messages.filter((m) => m.role === 'user').map(messageText);
  const prompt = users.reverse().find((t) => !/^Generate a title for this conversation/i.test(t.trim()));
  return prompt ?? task;
}

/** A short title from the user's first words: no model needed, never empty. */
export function titleFromWords(text: string, maxWords = 5): string {
  const cleaned = text
    .replace(/^["'“”`\s]+|["'“”`\s]+$/g, '')
    .replace(/[,;:]?\s*(?:execute|go ahead|send it|do it|proceed)[.!]?$/i, '')
    .replace(FILLER, '')
    .replace(/\s+/g, ' ')
    .trim();
  const words = cleaned.split(' ').filter(Boolean).slice(0, maxWords).join(' ');
  const title = words.replace(/[.?!,;:]+$/, '').slice(0, 50);
  return title ? title[0]!.toUpperCase() + title.slice(1) : 'New chat';
}

/** Aider's commit message without a model: the changed files, from the diff it sends. */
function commitMessage(body: Pick<ChatRequest, 'messages'>): string {
  const diff = lastUserText(body);
  const files = [
    ...new Set([...diff.matchAll(/^\+\+\+ b\/(\S+)/gm)].map((m) => m[1]!).filter((f) => f !== '/dev/null')),
  ];
  if (!files.length) return 'chore: update files';
  const shown =
    files.length > 2 ? `${files.slice(0, 2).join(', ')} and ${files.length - 2} more` : files.join(', ');
  return `chore: update ${shown}`.slice(0, 72);
}

/**
 * What a client task can be answered with when no model is configured, in the format the client
 * parses: a title from the user's first words, Open WebUI's own "nothing to add" answers (tags
 * ["General"], no follow-ups, no search queries, no completion), Aider's commit message from the
 * file names in its diff. Null when only a model can answer (summaries, edit formats).
 */
export function fallbackTaskAnswer(task: ClientTask, body: Pick<ChatRequest, 'messages'>): string | null {
  const json = (value: unknown) => JSON.stringify(value);
  switch (task.kind) {
    case 'title': {
      const title = titleFromWords(firstUserWords(body));
      return task.format === 'json' ? json({ title }) : title;
    }
    case 'tags':
      return json({ tags: ['General'] });
    case 'follow_ups':
      return json({ follow_ups: [] });
    case 'queries':
      return json({ queries: [] });
    case 'autocomplete':
      return json({ text: '' });
    case 'tool_selection':
      return json({ tool_calls: [] });
    case 'image_prompt':
      return json({ prompt: firstUserWords(body).slice(0, 500) });
    case 'commit_message':
      return commitMessage(body);
    default:
      return null;
  }
}

/**
 * The JSON object a model put in its answer (bare, fenced, or after some words), re-serialised;
 * null when there is none. Open WebUI parses task answers with `json.loads` on the first `{` to
 * the last `}`, so prose around the object breaks nothing — a missing object does.
 */
export function extractJsonObject(text: string): string | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1));
    return value && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : null;
  } catch {
    return null;
  }
}
