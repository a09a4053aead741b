import { RalexError } from '../../errors.js';
import type { ChatRequest } from './chat-request.js';

/** What ralex-agent takes from a request beyond its messages. */
export interface AgentOptions {
  /** `response_format: json_object`: the answer is the command result as one JSON object. */
  json: boolean;
  maxTokens: number | null;
  stop: string | string[] | null;
}

const USE_AUTO =
  'Use the model "ralex-auto" for a chat whose tools your client runs (it is passed to the configured model with your tools)';

/**
 * Checks what ralex-agent can honour. It gives one answer per request (`n` 1), runs Ralex's own
 * tools on the project rather than the client's (`tools`, `functions`, a tool result to continue
 * from), and answers JSON only as `json_object` (the command result). Anything else is a 400
 * that names the field and what to do instead — never silently ignored.
 */
export function checkAgentRequest(body: ChatRequest): AgentOptions {
  const refuse = (param: string, message: string, hint: string) =>
    new RalexError('bad_request', message, { hint, details: { param } });
  if (body.n && body.n > 1) {
    throw refuse(
      'n',
      `ralex-agent gives one answer per request, not ${body.n}: a command runs once.`,
      'Send n: 1 (or leave it out); ask ralex-auto for several answers to a plain chat.',
    );
  }
  if (body.tools?.length || body.functions?.length) {
    throw refuse(
      body.tools?.length ? 'tools' : 'functions',
      'ralex-agent works on the project with its own tools and cannot call the tools this client sent.',
      `${USE_AUTO}, or turn your client's tools off for ralex-agent (OpenCode: "tools": {"*": false} in the agent that uses it; see docs/clients.md).`,
    );
  }
  const last = body.messages.at(-1);
  if (last && (last.role === 'tool' || last.role === 'function')) {
    throw refuse(
      'messages',
      'The last message is a tool result, but ralex-agent never asks the client to run a tool.',
      `${USE_AUTO}.`,
    );
  }
  const format = body.response_format?.type;
  if (format && format !== 'text' && format !== 'json_object') {
    throw refuse(
      'response_format',
      `ralex-agent cannot promise a "${format}" answer: its answer is a command's result.`,
      `Ask for response_format {"type": "json_object"} to get the result as JSON, or use ralex-auto for ${format}.`,
    );
  }
  return {
    json: format === 'json_object',
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? null,
    stop: body.stop ?? null,
  };
}
