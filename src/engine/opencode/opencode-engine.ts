import { RalexError } from '../../errors.js';
import type { EventBody } from '../../events/events.js';
import type { AgentRunResult } from '../run-agent.js';
import { connectOpenCode, type OpenCodeClient } from './opencode-client.js';
import { RALEX_PROVIDER_ID } from './opencode-config.js';
import { createOpenCodeEventMapper, type OpenCodeStep } from './opencode-event-mapper.js';
import { type OpenCodeError, parseOpenCodeEvent } from './opencode-events.js';
import {
  describeOpenCodeAsk,
  type OpenCodePermissionAnswer,
  type OpenCodePermissionAsk,
  toVerdict,
} from './opencode-permission.js';
import { openCodeErrorToRalex, summarizeOpenCodeSession } from './opencode-run-result.js';
import {
  type OpenCodePoolOptions,
  type OpenCodeServerPool,
  sharedOpenCodeServers,
} from './opencode-server-pool.js';

/** The built-in agent's result minus its AI SDK messages, plus the session to continue. */
export type OpenCodeRunResult = Omit<AgentRunResult, 'responseMessages'> & { sessionId: string };

/** Everything one OpenCode run needs. */
export interface OpenCodeRunOptions {
  projectRoot: string;
  /** Ralex's OpenAI-compatible endpoint, e.g. `http://127.0.0.1:8000/v1`. */
  ralexBaseUrl: string;
  ralexToken: string;
  /** A model id Ralex's `/v1` serves, e.g. `ralex-auto`. */
  model: string;
  prompt: string;
  system?: string;
  signal: AbortSignal;
  emit: (body: EventBody) => void;
  /** Decides each permission ask (wire to the tool gate: policy, then approval); a throw counts as deny. */
  askPermission: (ask: OpenCodePermissionAsk) => Promise<OpenCodePermissionAnswer>;
  /** Continue this OpenCode session (from an earlier result) instead of starting a new one, e.g. to retry after failed checks. */
  sessionId?: string;
  /** Told the session id before the first prompt, so the model calls it makes can be attributed to the command. */
  onSession?: (sessionId: string) => void;
  /** Server settings besides the provider (binary, HOME, extra env, start timeout). */
  server?: Omit<OpenCodePoolOptions, 'provider'>;
  /** Where servers come from; default the process-wide pool. */
  servers?: OpenCodeServerPool;
}

const cancelled = () => new RalexError('cancelled', 'The command was cancelled.');

/**
 * The OpenCode engine: runs one prompt in a fresh session of a shared private `opencode serve`
 * whose only provider is Ralex's `/v1`, streams its text and tool calls as Ralex events, answers
 * its permission asks through `askPermission`, and returns the same result as the built-in agent.
 * Cancellation aborts the session and waits (briefly) until OpenCode has stopped its tools.
 */
export async function runOpenCode(options: OpenCodeRunOptions): Promise<OpenCodeRunResult> {
  if (options.signal.aborted) throw cancelled();
  const pool = options.servers ?? sharedOpenCodeServers;
  const provider = { baseUrl: options.ralexBaseUrl, apiKey: options.ralexToken };
  const lease = await pool.acquire({ ...options.server, provider }, options.model);
  try {
    if (options.signal.aborted) throw cancelled();
    const client = await connectOpenCode(lease.server, options.projectRoot);
    return await runSession(client, options);
  } finally {
    lease.release();
  }
}

async function openSession(client: OpenCodeClient, options: OpenCodeRunOptions): Promise<string> {
  if (options.sessionId) return options.sessionId;
  const created = await client.session.create({ title: `ralex: ${options.prompt.slice(0, 60)}` });
  if (!created.data) {
    const status = (created as { response?: Response }).response?.status;
    const body = await (created as { response?: Response }).response?.text().catch(() => '');
    throw new RalexError(
      'upstream_error',
      `OpenCode could not create a session (HTTP ${status ?? '?'}): ${JSON.stringify(created.error)}${body ? ` ${body.slice(0, 500)}` : ''}`,
    );
  }
  return created.data.id;
}

async function runSession(client: OpenCodeClient, options: OpenCodeRunOptions): Promise<OpenCodeRunResult> {
  const stream = new AbortController();
  const sessionId = await openSession(client, options);
  options.onSession?.(sessionId);
  const mapper = createOpenCodeEventMapper(sessionId, options.emit);
  let sessionError: OpenCodeError | null = null;
  let onConnected = () => {};
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });

  const answer = async (step: Extract<OpenCodeStep, { kind: 'permission' }>) => {
    let decided: OpenCodePermissionAnswer = 'deny';
    try {
      decided = await options.askPermission(
        describeOpenCodeAsk(step.request, { tool: step.callTool, input: step.input }),
      );
    } catch {
      decided = 'deny';
    }
    if (stream.signal.aborted) return;
    // Once the command is cancelled nothing more may run, whatever the answer was.
    const verdict = options.signal.aborted ? toVerdict('deny') : toVerdict(decided);
    if (step.request.tool) mapper.decide(step.request.tool.callID, verdict.decision, verdict.allowed);
    await client.permission
      .reply({
        requestID: step.request.id,
        reply: verdict.allowed ? 'once' : 'reject',
        ...(verdict.allowed ? {} : { message: verdict.message }),
      })
      .catch(() => undefined);
  };

  const pump = async (): Promise<'idle' | 'closed'> => {
    const sse = await client.event.subscribe(
      {},
      { signal: stream.signal, sseMaxRetryAttempts: 3, sseDefaultRetryDelay: 250 },
    );
    for await (const raw of sse.stream) {
      if ((raw as { type?: unknown })?.type === 'server.connected') onConnected();
      const event = parseOpenCodeEvent(raw);
      if (!event) continue;
      const step = mapper.handle(event);
      if (step.kind === 'permission') void answer(step);
      else if (step.kind === 'error') sessionError = step.error;
      else if (step.kind === 'idle') return 'idle';
    }
    return 'closed';
  };

  let abortListener = () => {};
  const aborted = new Promise<'aborted'>((resolve) => {
    abortListener = () => resolve('aborted');
    options.signal.addEventListener('abort', abortListener, { once: true });
  });
  const watchdog = createIdleWatchdog(client, sessionId, () => mapper.started);
  const pumping = pump();
  pumping.catch(() => undefined);
  try {
    const first = await Promise.race([
      connected.then(() => 'connected' as const),
      pumping,
      aborted,
      delay(15_000, 'timeout' as const),
    ]);
    if (first === 'aborted') throw cancelled();
    if (first !== 'connected')
      throw new RalexError('upstream_error', `OpenCode's event stream did not open (${first}).`);
    // A continued session already holds earlier runs' messages; this run's result starts after them.
    const earlier = options.sessionId
      ? ((await client.session.messages({ sessionID: sessionId })).data?.length ?? 0)
      : 0;
    const prompt = await client.session.promptAsync({
      sessionID: sessionId,
      model: { providerID: RALEX_PROVIDER_ID, modelID: options.model },
      ...(options.system ? { system: options.system } : {}),
      parts: [{ type: 'text', text: options.prompt }],
    });
    if (prompt.error !== undefined)
      throw new RalexError('upstream_error', `OpenCode refused the prompt: ${JSON.stringify(prompt.error)}`);
    const outcome = await Promise.race([pumping, aborted, watchdog.idle]);
    if (outcome === 'aborted' || options.signal.aborted) {
      await client.session
        .abort({ sessionID: sessionId }, { signal: AbortSignal.timeout(5000) })
        .catch(() => undefined);
      await Promise.race([pumping.catch(() => undefined), watchdog.idle, delay(5000, 'late')]);
      throw cancelled();
    }
    if (outcome === 'closed')
      throw new RalexError('upstream_error', 'OpenCode stopped before the session finished.');
    const messages = await client.session.messages({ sessionID: sessionId });
    if (!messages.data)
      throw new RalexError(
        'upstream_error',
        `OpenCode did not return the session: ${JSON.stringify(messages.error)}`,
      );
    const summary = summarizeOpenCodeSession(messages.data.slice(earlier));
    const error = summary.error ?? sessionError;
    if (error) throw openCodeErrorToRalex(error);
    return {
      text: summary.text,
      finishReason: summary.finishReason,
      inputTokens: summary.inputTokens,
      outputTokens: summary.outputTokens,
      steps: mapper.steps,
      toolCalls: mapper.toolCalls,
      sessionId,
    };
  } finally {
    options.signal.removeEventListener('abort', abortListener);
    watchdog.stop();
    stream.abort();
  }
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, ms, value).unref());
}

/** Polls the session status every few seconds, in case the stream dropped the final idle event. */
function createIdleWatchdog(client: OpenCodeClient, sessionId: string, started: () => boolean) {
  let resolveIdle: (value: 'idle') => void = () => {};
  const idle = new Promise<'idle'>((resolve) => {
    resolveIdle = resolve;
  });
  const timer = setInterval(async () => {
    if (!started()) return;
    const status = await client.session.status().catch(() => null);
    const state = status?.data?.[sessionId];
    if (status?.data && (!state || state.type === 'idle')) resolveIdle('idle');
  }, 3000);
  timer.unref();
  return { idle, stop: () => clearInterval(timer) };
}
