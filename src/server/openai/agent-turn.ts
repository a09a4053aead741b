import type { Intent, ParsedCommand } from '../../command/parsed-command.js';
import { INTENT_RULES } from '../../pipeline/parse/intent-rules.js';
import { classifyIntent } from '../../pipeline/parse/intents.js';
import { parseCommand } from '../../pipeline/parse/parse-command.js';

/** What a ralex-agent chat turn is: a command to run, or something to answer as a plain chat. */
export type AgentTurn =
  | { kind: 'command'; text: string; parsed: ParsedCommand; approvalId?: string }
  | { kind: 'chat'; text: string; why: string };

/** What the decision needs to know of the conversation. */
export interface TurnContext {
  files: readonly string[];
  /** Approvals waiting in this conversation's session. */
  pendingApprovals: number;
}

/** "ralex: …", "@ralex …", "/ralex …": the user says outright that this is a command. */
const MARKER = /^\s*(?:@|\/)?ralex\b\s*[:,]?\s*/i;
/** "confirm apr_…" / "deny apr_…": answers one approval by its id, from any conversation. */
const BY_ID = /^\s*(confirm|approve|yes|deny|reject|no)\s+(apr_[\w-]{1,64})\s*[.!]?\s*$/i;

/**
 * Words that tie a request to a code project. A change (or a question for the agent) needs one of
 * them, a file of the project, an identifier, a trigger ending or the `ralex` marker; "write a
 * poem about the sea" has none and is answered as a chat.
 */
const PROJECT_WORDS =
  /\b(?:code|codebase|source|project|repo|repository|files?|folders?|director(?:y|ies)|modules?|packages?|functions?|methods?|class(?:es)?|components?|tests?|specs?|suite|bugs?|errors?|exceptions?|crash(?:es)?|stack ?trace|build|compile[sd]?|lint(?:er)?|types?|typescript|javascript|python|rust|golang|readme|docs?|documentation|changelog|api|endpoints?|routes?|handlers?|schema|database|migrations?|quer(?:y|ies)|config(?:uration)?|settings|scripts?|dependenc(?:y|ies)|imports?|variables?|commits?|branch(?:es)?|diff|server|client|cli|app|page|ui|css|html|styles?|login|auth)\b/i;
/** `code`, camelCase, snake_case, call(), a path with a slash or an extension. */
const IDENTIFIER =
  /`[^`]+`|\b[a-z]+[A-Z]\w*\b|\b[a-z]+_\w+\b|\b\w+\(\)|\b[\w-]+\/[\w./-]+|\b[\w-]+\.(?:[a-z]{1,4})\b/;

/** Intents that do something on their own words: their rules match whole, fixed shapes. */
const CONTROL: readonly Intent[] = ['confirm', 'deny'];

/**
 * The request inside a client's wrapping: Open WebUI's RAG template (the user's words in
 * `<user_query>`, or before the "### Task: Respond to the user query…" block it appends), and
 * the quotes `opencode run` puts around a prompt.
 */
export function extractRequest(text: string): string {
  let request = text;
  const rag = text.search(/(?:^|\n)### Task:\s*\n?Respond to the user query using the provided context/);
  if (rag > 0) request = text.slice(0, rag);
  else if (rag === 0) {
    // The message is the template: the query is its last <user_query> (after the context, where a
    // retrieved document could plant one), or what follows the context.
    const query = [...text.matchAll(/<user_query>\s*([\s\S]*?)\s*<\/user_query>/g)].at(-1)?.[1];
    const context = text.lastIndexOf('</context>');
    request = query ?? (context >= 0 ? text.slice(context + '</context>'.length) : text);
  }
  request = request.trim();
  const quoted = /^"([^"]+)"$/s.exec(request) ?? /^'([^']+)'$/s.exec(request);
  return (quoted?.[1] ?? request).trim();
}

/** True when the rule that decided the intent matched how the request starts (a verb, a fixed shape). */
function decidedByShape(parsed: ParsedCommand): boolean {
  const decision = classifyIntent(parsed.request, { hasFile: parsed.mentions.length > 0 });
  const rule = INTENT_RULES[decision.rule];
  return rule ? rule.pattern.source.startsWith('^') : false;
}

function aboutTheProject(parsed: ParsedCommand, text: string): boolean {
  if (parsed.files.length || parsed.mentions.some((m) => m.candidates.length > 0)) return true;
  return PROJECT_WORDS.test(text) || IDENTIFIER.test(text);
}

/**
 * Decides what one ralex-agent turn is. It runs as a command when the last user message is
 * command-shaped for this project: a direct command ("run the tests", "undo that"), an answer to
 * a waiting approval, a change or question led by its verb that names something of the project,
 * anything ending in a trigger ("…, execute"), or anything marked "ralex: …". Everything else is
 * answered as a chat and runs nothing.
 */
export function decideAgentTurn(lastUserMessage: string, context: TurnContext): AgentTurn {
  const raw = extractRequest(lastUserMessage);
  const marked = MARKER.test(raw);
  const text = marked ? raw.replace(MARKER, '') : raw;
  const byId = BY_ID.exec(text);
  const parsed = parseCommand(byId ? (byId[1] ?? 'confirm') : text, { files: context.files });
  if (byId) return { kind: 'command', text, parsed, approvalId: byId[2]! };
  if (!text) return { kind: 'chat', text, why: 'the message has no text' };
  if (CONTROL.includes(parsed.intent)) {
    return context.pendingApprovals > 0
      ? { kind: 'command', text, parsed }
      : { kind: 'chat', text, why: 'nothing in this conversation waits for an approval' };
  }
  if (marked || parsed.autoSubmit) return { kind: 'command', text, parsed };
  if (parsed.direct || parsed.intent === 'workflow') {
    return decidedByShape(parsed)
      ? { kind: 'command', text, parsed }
      : { kind: 'chat', text, why: 'it only mentions a command in passing' };
  }
  if (!decidedByShape(parsed))
    return { kind: 'chat', text, why: 'it does not start with what to do (e.g. "fix", "add", "explain")' };
  if (!aboutTheProject(parsed, text))
    return { kind: 'chat', text, why: 'it names nothing of this project (a file, a test, a function…)' };
  return { kind: 'command', text, parsed };
}

/** The line a chat answer ends with: why nothing ran, and how to make the message a command. */
export function notRunNote(why: string): string {
  return `\n\n---\n_Ralex answered this as a chat and ran nothing on the project: ${why}. To run it as a command, say what to do to the project (for example "fix the failing test in user auth dot py") and end with "execute", or start the message with "ralex:"._`;
}
