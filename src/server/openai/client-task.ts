import { type ChatRequest, lastUserText, messageText, systemText } from './chat-request.js';

/** What kind of background work a client asks of its chat model (none of it is a command). */
export type ClientTaskKind =
  | 'title'
  | 'tags'
  | 'follow_ups'
  | 'queries'
  | 'autocomplete'
  | 'emoji'
  | 'image_prompt'
  | 'tool_selection'
  | 'merge_answers'
  | 'summary'
  | 'commit_message'
  | 'edit_format';

/** A client's background task: its kind, which client's shape it has, and the answer format it parses. */
export interface ClientTask {
  kind: ClientTaskKind;
  client: 'open-webui' | 'opencode' | 'aider' | 'unknown';
  /** `json`: the client parses the answer as a JSON object; `text`: plain text (or its own edit format). */
  format: 'json' | 'text';
}

/** Open WebUI's `metadata.task` values (backend/open_webui/constants.py, `TASKS`). */
const OPEN_WEBUI_TASKS: Record<string, ClientTaskKind> = {
  title_generation: 'title',
  tags_generation: 'tags',
  follow_up_generation: 'follow_ups',
  query_generation: 'queries',
  autocomplete_generation: 'autocomplete',
  emoji_generation: 'emoji',
  image_prompt_generation: 'image_prompt',
  function_calling: 'tool_selection',
  moa_response_generation: 'merge_answers',
};

/** A shape to recognise: where to look, what it looks like, what task it is. */
interface TaskShape {
  in: 'user' | 'system' | 'instructions';
  pattern: RegExp;
  task: ClientTask;
}

const owui = (kind: ClientTaskKind, format: ClientTask['format'] = 'json'): ClientTask => ({
  kind,
  client: 'open-webui',
  format,
});

/**
 * The shapes, from the clients' own prompt templates (copies in test/fixtures/client-requests/):
 * Open WebUI's task templates (backend/open_webui/config.py), OpenCode's hidden title, compaction
 * and summary agents, Aider's commit-message, summarize and edit-format prompts (aider/prompts.py,
 * aider/coders/*_prompts.py).
 */
const SHAPES: readonly TaskShape[] = [
  // Open WebUI: one user message holding the whole task, "### Task:" with the chat inside <chat_history>.
  {
    in: 'user',
    pattern: /^### Task:\s*(?:You are a title generator\.\s*)?\S[^\n]*\btitle\b/i,
    task: owui('title'),
  },
  { in: 'user', pattern: /^### Task:\s*Generate 1-3 broad tags/i, task: owui('tags') },
  { in: 'user', pattern: /^### Task:\s*Suggest \d-\d relevant follow-up/i, task: owui('follow_ups') },
  { in: 'user', pattern: /^### Task:\s*You are an autocompletion system/i, task: owui('autocomplete') },
  { in: 'user', pattern: /^### Task:[\s\S]{0,400}\bsearch quer(?:y|ies)\b/i, task: owui('queries') },
  {
    in: 'user',
    pattern: /^### Task:\s*Generate a detailed prompt for an? image generation/i,
    task: owui('image_prompt'),
  },
  {
    in: 'user',
    pattern: /^(?:Create|Generate) a concise, 3-5 word (?:title|phrase)/i,
    task: owui('title', 'text'),
  },
  {
    in: 'user',
    pattern: /^Your task is to reflect the speaker's likely facial expression/i,
    task: owui('emoji', 'text'),
  },
  {
    in: 'user',
    pattern: /^You have been provided with a set of responses from various models/i,
    task: owui('merge_answers', 'text'),
  },
  {
    in: 'system',
    pattern: /^Available Tools:[\s\S]*Your task is to choose and return the correct tool\(s\)/i,
    task: owui('tool_selection'),
  },
  // Any other "### Task:" over a <chat_history>: a task, whatever the admin renamed it.
  { in: 'user', pattern: /^### Task:[\s\S]*<chat_history>/i, task: owui('summary', 'text') },
  // OpenCode's hidden agents (title, compaction, session summary).
  {
    in: 'system',
    pattern: /(?:^|\n)You are a title generator\. You output ONLY a thread title/,
    task: { kind: 'title', client: 'opencode', format: 'text' },
  },
  {
    in: 'system',
    pattern:
      /(?:^|\n)(?:You are a context summarization agent|Summarize what was done in this conversation\.)/,
    task: { kind: 'summary', client: 'opencode', format: 'text' },
  },
  // Aider: commit messages, history summaries, and every edit format (Aider applies the edits itself).
  {
    in: 'system',
    pattern: /generates concise,\s+one-line Git commit messages/i,
    task: { kind: 'commit_message', client: 'aider', format: 'text' },
  },
  {
    in: 'instructions',
    pattern: /\*Briefly\* summarize this partial conversation about programming/,
    task: { kind: 'summary', client: 'aider', format: 'text' },
  },
  {
    in: 'instructions',
    pattern:
      /(?:^|\n)(?:Act as an expert (?:software developer|architect engineer|code analyst)|You are an expert on the AI coding tool called Aider)\b|\*SEARCH\/REPLACE block\*/,
    task: { kind: 'edit_format', client: 'aider', format: 'text' },
  },
];

/**
 * The client's instructions: its system messages, and — for models without a system role, as
 * Aider sends them — a first user message the assistant answered with just "Ok.".
 */
function instructionText(body: Pick<ChatRequest, 'messages'>): string {
  const [first, second] = body.messages;
  const asUser =
    first?.role === 'user' && second?.role === 'assistant' && messageText(second).trim() === 'Ok.'
      ? messageText(first)
      : '';
  return `${systemText(body)}\n${asUser}`.trim();
}

/**
 * Recognises a client's background task (a title, tags, follow-ups, a search query, an
 * autocompletion, a commit message, a summary, or an edit-format prompt whose answer the client
 * applies itself) by its shape, or by Open WebUI's `metadata.task`. Null for anything else.
 */
export function detectClientTask(body: Pick<ChatRequest, 'messages' | 'metadata'>): ClientTask | null {
  const named = body.metadata?.task ? OPEN_WEBUI_TASKS[body.metadata.task] : undefined;
  const user = lastUserText(body).trim();
  const system = systemText(body).trim();
  const instructions = instructionText(body);
  if (named) return { kind: named, client: 'open-webui', format: /\bJSON\b/.test(user) ? 'json' : 'text' };
  for (const shape of SHAPES) {
    const text = shape.in === 'user' ? user : shape.in === 'system' ? system : instructions;
    if (!shape.pattern.test(text)) continue;
    // Open WebUI's templates say when they want JSON; an admin's own template may not.
    if (shape.task.client === 'open-webui' && shape.in === 'user')
      return { ...shape.task, format: /\bJSON\b/.test(user) ? 'json' : 'text' };
    return shape.task;
  }
  return null;
}
