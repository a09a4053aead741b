import type { CommandRun } from '../command/command-run.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import type { ContextRequest, ContextSources } from '../context/build-context.js';
import type { ContextPackage } from '../context/context-package.js';
import type { ProjectIndex } from '../context/index/project-index.js';
import type { FinishedCommand, ProjectMemory } from '../context/memory/project-memory.js';
import type { TokenCounter } from '../context/pack/tokenizer.js';
import type { EventBody } from '../events/events.js';
import type { Runtime } from '../runtime.js';
import { docsGuidance, docsWanted, standardsGuidance } from './context-guidance.js';

/** `src/context`, loaded on the first model command: direct commands never pay for it. */
type ContextModules = Awaited<ReturnType<typeof loadModules>>;
let modules: Promise<ContextModules> | undefined;
const loadModules = async () => {
  const [build, index, store, memory, history, sync, tokenizer, counts] = await Promise.all([
    import('../context/build-context.js'),
    import('../context/index/project-index.js'),
    import('../context/memory/memory-store.js'),
    import('../context/memory/project-memory.js'),
    import('../context/rank/git-history.js'),
    import('../context/sync/sync-memory.js'),
    import('../context/pack/tokenizer.js'),
    import('../context/index/token-counts.js'),
  ]);
  return {
    buildContext: build.buildContext,
    openProjectIndex: index.openProjectIndex,
    createMemoryStore: store.createMemoryStore,
    createProjectMemory: memory.createProjectMemory,
    recentHistory: history.recentHistory,
    syncMemory: sync.syncMemory,
    createTokenCounter: tokenizer.createTokenCounter,
    ESTIMATE_SHORT_TEXTS: tokenizer.ESTIMATE_SHORT_TEXTS,
    indexTokenCounts: counts.indexTokenCounts,
  };
};
const contextModules = (): Promise<ContextModules> => {
  modules ??= loadModules();
  return modules;
};

export type { ContextItem, ContextPackage } from '../context/context-package.js';
export { estimateTokens } from '../context/pack/tokenizer.js';

/** Earlier commands of the session the context carries. */
const RECENT_COMMANDS = 5;
/** Intents for which the session's last failing test output is part of the context. */
const WANTS_FAILURES = new Set(['fix_bug', 'test']);

const indexes = new WeakMap<Runtime, ProjectIndex>();
interface TokenCounters {
  pack: TokenCounter;
  estimate: TokenCounter;
}
const tokenCounters = new WeakMap<Runtime, TokenCounters>();
const memories = new WeakMap<Runtime, { memory: ProjectMemory; refreshedAt: number; syncedAt: number }>();
/** With `context.sync: auto`, memory is synced in the background at most this often. */
const SYNC_EVERY_MS = 5 * 60_000;
/** project_understanding.md and file_relationships.md are looked at again after this long. */
const REFRESH_MS = 10 * 60_000;

/** The project's memory (`.ralex/context/`) for this runtime. */
export async function projectMemoryFor(rt: Runtime): Promise<ProjectMemory> {
  const { createProjectMemory, createMemoryStore } = await contextModules();
  let m = memories.get(rt);
  if (!m) {
    m = {
      memory: createProjectMemory(createMemoryStore(rt.paths.contextDir, { now: rt.clock })),
      refreshedAt: 0,
      syncedAt: 0,
    };
    memories.set(rt, m);
  }
  return m.memory;
}

/**
 * This runtime's token counters, exact, with the counts remembered in the project's context index,
 * so a command whose texts were all counted before (the system prompt, instructions, standards,
 * docs, files) never loads the tokenizer's tables — what a one-shot `ralex run` paid most for.
 * `pack` bounds a short new text by its bytes (never under-counts the budget); `estimate` (the
 * route's choice, each call's reservation) estimates it.
 */
export async function tokenCountersFor(rt: Runtime): Promise<TokenCounters> {
  const { createTokenCounter, indexTokenCounts, ESTIMATE_SHORT_TEXTS } = await contextModules();
  let counters = tokenCounters.get(rt);
  if (!counters) {
    const index = await projectIndexFor(rt);
    const cache = indexTokenCounts(() => index.db());
    counters = { pack: createTokenCounter(cache), estimate: createTokenCounter(cache, ESTIMATE_SHORT_TEXTS) };
    tokenCounters.set(rt, counters);
  }
  return counters;
}

/** Where the context comes from for this runtime: the project, its index, the policy, memory, standards and docs. */
export async function contextSources(rt: Runtime, index: ProjectIndex): Promise<ContextSources> {
  const memory = await projectMemoryFor(rt);
  return {
    root: rt.root,
    index,
    count: (await tokenCountersFor(rt)).pack,
    canRead: (path) => rt.policy.checkPath(path, { write: false }).decision === 'allow',
    memory: (req) => memory.candidates(req.request, req.files),
    standards: rt.config.preferences.standards.enabled ? (g) => standardsGuidance(rt, memory, g) : undefined,
    docs: docsWanted(rt) ? (g) => docsGuidance(rt, g) : undefined,
  };
}

/** The project's context index for this runtime: opened once, watched while the runtime lives. */
export async function projectIndexFor(rt: Runtime): Promise<ProjectIndex> {
  const { openProjectIndex } = await contextModules();
  let index = indexes.get(rt);
  if (!index) {
    index = openProjectIndex(rt.root, { stateDir: rt.paths.stateDir, watch: true });
    indexes.set(rt, index);
    const opened = index;
    rt.onClose(() => opened.close());
  }
  return index;
}

/**
 * The context stage: what the session said and touched, then `src/context` ranks the project's
 * files (names, symbols, BM25, symbol graph, co-change, intent) and packs the best within the
 * budget, with instructions, the diff for a review and failing tests for a fix.
 */
export async function gatherContext(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Runtime,
): Promise<ContextPackage> {
  const { buildContext } = await contextModules();
  const memory = await projectMemoryFor(rt);
  // What the person says is learned before the context is built, so it applies at once.
  if (rt.config.preferences.context.learn)
    await memory.learnFromCommand(run.text, run.id, run.sessionId, rt.clock()).catch(() => []);
  await memory.recordOutcomes(finishedCommands(rt, run.sessionId, run.id)).catch(() => 0);
  const index = await projectIndexFor(rt);
  const pkg = await buildContext(
    contextRequest(parsed, run.id, run.sessionId, rt),
    await contextSources(rt, index),
  );
  const mods = await contextModules();
  refreshMemoryLater(rt, index, mods);
  syncMemoryLater(rt, mods);
  return pkg;
}

/** Syncs memory with the remote in the background (`context.sync: auto`), at most every SYNC_EVERY_MS. */
function syncMemoryLater(rt: Runtime, { syncMemory }: ContextModules): void {
  const m = memories.get(rt);
  const prefs = rt.config.preferences.context;
  if (!m || prefs.sync !== 'auto' || Date.now() - m.syncedAt < SYNC_EVERY_MS) return;
  m.syncedAt = Date.now();
  setImmediate(() => {
    void rt.track(syncMemory(rt.root, { remote: prefs.sync_remote, now: rt.clock })).catch(() => {});
  });
}

/** Regenerates the project's own memory files in the background, at most every REFRESH_MS. */
function refreshMemoryLater(rt: Runtime, index: ProjectIndex, { recentHistory }: ContextModules): void {
  const m = memories.get(rt);
  if (!m || Date.now() - m.refreshedAt < REFRESH_MS) return;
  m.refreshedAt = Date.now();
  setImmediate(() => {
    void rt
      .track(
        recentHistory(rt.root, index.db()).then((history) =>
          m.memory.refreshGenerated({
            root: rt.root,
            queries: index.queries(),
            history,
            testCommand: rt.config.preferences.checks.test_command,
          }),
        ),
      )
      .catch(() => {});
  });
}

/** The session's finished commands before `commandId`, for the conversation history. */
function finishedCommands(rt: Runtime, sessionId: string, commandId: string): FinishedCommand[] {
  return rt.commands
    .listBySession(sessionId, RECENT_COMMANDS + 1)
    .filter((c) => c.id !== commandId && c.status !== 'running')
    .reverse()
    .map((c) => {
      const r = (c.result ?? {}) as { filesChanged?: string[]; commit?: string | null };
      return {
        id: c.id,
        sessionId: c.sessionId,
        text: c.text,
        intent: c.intent,
        status: c.status,
        at: c.finishedAt ?? c.createdAt,
        filesChanged: r.filesChanged ?? [],
        commit: r.commit ?? null,
      };
    });
}

/**
 * Resolved files the command named by a bare word — no extension, dot, slash or spoken "dot"
 * ("the connection pool" → Connection.java) — which may be a word, not a file, in the request.
 */
export function looselyNamed(parsed: ParsedCommand): string[] {
  return parsed.mentions
    .filter((m) => m.resolved && !/[./\\]|\b(dot|slash)\b/i.test(m.spoken))
    .map((m) => m.resolved!);
}

/** The `context.packed` event of a package: every item without its content, what was left out, notes. */
export function contextPackedEvent(context: ContextPackage): Extract<EventBody, { type: 'context.packed' }> {
  return {
    type: 'context.packed',
    sources: context.items.map((i) => ({
      kind: i.kind,
      ref: i.ref,
      tokens: i.tokens,
      ...(i.path ? { path: i.path } : {}),
      score: i.score,
      reasons: i.reasons,
    })),
    tokens: context.tokens,
    budget: context.budget,
    omitted: context.omitted,
    notes: context.stats?.notes ?? [],
  };
}

/** The context request for a parsed command: the request, the session so far, the budget. */
export function contextRequest(
  parsed: ParsedCommand,
  commandId: string | null,
  sessionId: string | null,
  rt: Runtime,
): ContextRequest {
  const earlier = sessionId
    ? rt.commands
        .listBySession(sessionId, RECENT_COMMANDS + 1)
        .filter((c) => c.id !== commandId && c.result)
        .slice(0, RECENT_COMMANDS)
    : [];
  const files: { path: string; age: number }[] = [];
  let failingOutput: string | undefined;
  earlier.forEach((c, age) => {
    const result = c.result as {
      files?: string[];
      filesChanged?: string[];
      checks?: { ok: boolean; output: string }[];
    };
    for (const path of [...(result.filesChanged ?? []), ...(result.files ?? [])]) files.push({ path, age });
    const failed = result.checks?.filter((k) => !k.ok).map((k) => k.output);
    if (failingOutput === undefined && failed?.length) failingOutput = failed.join('\n');
  });
  return {
    request: parsed.request,
    intent: parsed.intent,
    files: parsed.files,
    looselyNamed: looselyNamed(parsed),
    candidates: parsed.mentions.flatMap((m) => (m.resolved ? [] : m.candidates.slice(0, 3))),
    budget: rt.config.preferences.context.max_tokens,
    session: {
      commands: [...earlier].reverse().map((c) => ({
        text: c.text,
        reply: String((c.result as { reply?: string }).reply ?? ''),
      })),
      files,
    },
    failingOutput: WANTS_FAILURES.has(parsed.intent) ? failingOutput : undefined,
    complexity: parsed.complexity,
  };
}

/** The command as `ralex context` shows it. */
export interface PreviewedCommand {
  text: string;
  request: string;
  intent: string;
  files: string[];
}

/** What `ralex context` shows: a direct command (no context is sent with it) or the package. */
export type ContextPreview =
  | { command: PreviewedCommand; direct: true; reason: string; items: [] }
  | ({ command: PreviewedCommand; direct?: undefined } & ContextPackage);

/**
 * The context package the pipeline would send with `text`, built as the context stage builds it
 * and no model called: `ralex context` in its own process (with `index` opened for it) and,
 * through the command socket, in `ralex serve` (this runtime's watched index).
 */
export async function previewContext(
  rt: Runtime,
  text: string,
  opts: { budget?: number; sessionId?: string; index?: ProjectIndex } = {},
): Promise<ContextPreview> {
  const [{ parseCommand }, { buildContext }] = await Promise.all([
    import('./parse/parse-command.js'),
    contextModules(),
  ]);
  const parsed = parseCommand(text, { matcher: await rt.fileNames.matcher() });
  const command = { text, request: parsed.request, intent: parsed.intent, files: parsed.files };
  if (parsed.direct || parsed.intent === 'workflow')
    return {
      command,
      direct: true,
      reason: 'A direct command needs no model: the pipeline sends no context with it.',
      items: [],
    };
  const req = contextRequest(parsed, null, opts.sessionId ?? null, rt);
  const index = opts.index ?? (await projectIndexFor(rt));
  const pkg = await buildContext(
    opts.budget ? { ...req, budget: opts.budget } : req,
    await contextSources(rt, index),
  );
  return { command, ...pkg };
}
