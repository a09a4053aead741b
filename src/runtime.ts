import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, type RalexConfig } from './config/load-config.js';
import { applyPreferencesTrust, type PreferencesTrust } from './config/preferences-trust.js';
import { defaultTrustFile } from './config/trust-store.js';
import { type RecoveredCommand, recoverInterrupted } from './engine/recover-interrupted.js';
import { createEventBus, type EventBus } from './events/event-bus.js';
import { configuredProviders, discoverOllama } from './models/configured-providers.js';
import { openListingCache } from './models/listing-cache.js';
import type { LoopbackApi } from './models/loopback-api-endpoint.js';
import { createModelRegistry, type ModelRegistry } from './models/model-registry.js';
import { createModelServices, type ModelServices } from './models/model-services.js';
import { openProjectFileNames, type ProjectFileNames } from './pipeline/parse/project-file-names.js';
import { type Approvals, createApprovals } from './policy/approvals/approvals.js';
import { auditFilesIn } from './policy/audit/audit-files.js';
import { type AuditTrail, createAuditTrail } from './policy/audit/audit-trail.js';
import { recordAuditFromBus } from './policy/audit/record-events.js';
import { createPolicy, type Policy } from './policy/policy.js';
import { createFileIndex, type FileIndex } from './project/file-index.js';
import { requireGitProject } from './project/open-project.js';
import { protectRalexState } from './project/protect-ralex-state.js';
import { type RalexPaths, ralexPaths } from './project/ralex-paths.js';
import { markLiveFrom } from './stats/backfill-stats.js';
import { recordModelCalls } from './stats/record-calls.js';
import { recordStatsFromBus } from './stats/record-stats.js';
import { createStatsStore, type StatsStore } from './stats/stats-store.js';
import { type ChangeStore, createChangeStore } from './store/changes.js';
import { type CommandStore, createCommandStore } from './store/commands.js';
import { type Db, openDatabase } from './store/database.js';
import { createEventLog } from './store/event-log.js';
import { createRepoLockStore, type RepoLockStore } from './store/repo-lock.js';
import { createSessionStore, type SessionStore } from './store/sessions.js';
import { startTracing } from './telemetry/otlp-traces.js';
import { traceConfig } from './telemetry/trace-config.js';
import { type Clock, generateId, type IdGenerator, systemClock } from './util/ids.js';
import { type OwnerProcess, thisProcess } from './util/proc-stat.js';

/** The session budget alerts of calls outside any session are published in. */
const BUDGET_SESSION = 'ralex';
/** How long close waits for aborted commands and background work before it closes the database anyway. */
const CLOSE_WAIT_MS = 10_000;

/** A command still running, with the handle that cancels it. */
export interface RunningCommand {
  commandId: string;
  sessionId: string;
  text: string;
  controller: AbortController;
}

/**
 * Everything one Ralex instance is made of, for one project: configuration, the store, the
 * event bus, models, the file index, the policy and approvals. The CLI and the server both
 * build one with `createRuntime` and hand it to the pipeline.
 */
export interface Runtime {
  root: string;
  paths: RalexPaths;
  config: RalexConfig;
  /** Whether the project's preferences apply in full (settings that send data out wait for `ralex trust`). */
  preferencesTrust: PreferencesTrust;
  /** Where the user's trust decisions are kept (outside every project). */
  trustFile: string;
  db: Db;
  bus: EventBus;
  sessions: SessionStore;
  commands: CommandStore;
  /** Changes commands made: checkpoints, trees, commits — for undo, redo and crash recovery. */
  changes: ChangeStore;
  /** Hourly and daily statistics of what every process on the project did (dashboard, /metrics). */
  stats: StatsStore;
  /** What start-up found of commands a crash cut off, and what it did about them. */
  recovered: RecoveredCommand[];
  /** The repository's change lock, shared by every Ralex process on the project. */
  locks: RepoLockStore;
  /** This process, as the owner of the commands it runs (crash recovery leaves live owners alone). */
  owner: OwnerProcess;
  /** The audit trail, HMAC-chained with `.ralex/state/audit.key`, its head in `.ralex/state/audit.head`. */
  audit: AuditTrail;
  registry: ModelRegistry;
  /** The model catalog, the ledger and budgets, model health and learned statistics. */
  models: ModelServices;
  files: FileIndex;
  /** The project's file names as the parse stage matches them, kept on disk between processes. */
  fileNames: ProjectFileNames;
  policy: Policy;
  approvals: Approvals;
  running: Map<string, RunningCommand>;
  clock: Clock;
  ids: IdGenerator;
  /**
   * Ralex's own OpenAI-compatible API on a private loopback port (started on first use), for
   * engines that call models over HTTP, such as OpenCode: their calls go through Ralex's routing,
   * budgets and audit.
   */
  loopbackApi(): Promise<LoopbackApi>;
  /** Registers work to do on close (stop a helper server, a child process). */
  onClose(closer: () => unknown): void;
  /** Keeps a command or background task in view, so close waits for it before the database closes. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Cancels running commands, waits for them and tracked work, runs the close hooks, and closes the database. */
  close(): Promise<void>;
}

/** How to build a runtime; clock and ids are injectable for deterministic tests. */
export interface RuntimeOptions {
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  ids?: IdGenerator;
  /** Look for Ollama on localhost:11434 when OLLAMA_HOST is unset (default true). */
  probeOllama?: boolean;
  /** A long-lived process (`ralex serve`): stale model lists are refreshed in the background. */
  serving?: boolean;
}

/**
 * Opens a project: checks it is a git repository, loads and validates its configuration
 * (a bad file stops here with the file, key and fix), opens the store, and wires the parts.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? generateId;
  const { root, excludeFile } = await requireGitProject(options.projectDir);
  const paths = ralexPaths(root);
  const trustFile = defaultTrustFile(options.env ?? process.env);
  // The project's own config applies in full only once the user trusted it (`ralex trust`): its
  // security rules where they loosen the built-in ones, its preferences where they send data out.
  const { config, trust: preferencesTrust } = applyPreferencesTrust(
    root,
    loadConfig(paths, options.env),
    trustFile,
  );
  const policy = await createPolicy({ projectRoot: root, trustFile, shellParser: 'on-demand' });
  const db = openDatabase(paths.database);
  const bus = createEventBus(createEventLog(db), clock, (error) =>
    console.error('ralex: event listener failed:', error),
  );
  const commands = createCommandStore(db);
  const changes = createChangeStore(db);
  const stats = createStatsStore(db);
  markLiveFrom(stats, bus.log);
  recordStatsFromBus(bus, stats);
  // OpenTelemetry traces only when an OTLP endpoint is configured (the SDK is not loaded otherwise).
  const traces = traceConfig(options.env ?? process.env);
  const tracing = traces ? await startTracing(traces, bus) : null;
  const owner = thisProcess();
  await protectRalexState(root, excludeFile);
  const recovered = await recoverInterrupted({
    root,
    commands,
    changes,
    clock,
    keep: config.preferences.engine.on_crash === 'keep',
  });
  const running = new Map<string, RunningCommand>();
  const closers: (() => unknown)[] = [];
  const files = createFileIndex(root);
  // What the providers said (Ollama there or not, their model lists), shared by every process for 10 minutes.
  const listings = openListingCache(join(paths.stateDir, 'provider-models.json'));
  const fileNames = openProjectFileNames({ root, stateDir: paths.stateDir, files, env: options.env });
  const inFlight = new Set<Promise<unknown>>();
  const audit = createAuditTrail(db, clock, auditFilesIn(paths.stateDir), { projectRoot: root });
  recordAuditFromBus(bus, audit, root);
  const runtime: Runtime = {
    root,
    paths,
    config,
    preferencesTrust,
    trustFile,
    db,
    bus,
    sessions: createSessionStore(db),
    commands,
    changes,
    stats,
    recovered,
    locks: createRepoLockStore(db),
    owner,
    audit,
    models: createModelServices({
      db,
      preferences: config.preferences,
      clock,
      ids,
      owner,
      performanceFile: join(paths.cacheDir, 'model_performance.json'),
      onCallsFinished: (calls) => recordModelCalls(stats, calls),
      onAlert: (alert, scope) =>
        bus.publish(
          { sessionId: scope.sessionId ?? BUDGET_SESSION, commandId: scope.commandId },
          { type: 'budget.alert', ...alert },
        ),
    }),
    registry: createModelRegistry(configuredProviders(config), {
      discover: options.probeOllama === false ? undefined : () => discoverOllama(config, listings),
      cache: listings,
      background: options.serving ?? false,
    }),
    files,
    fileNames,
    policy,
    approvals: createApprovals({ bus, clock, ids }),
    running,
    clock,
    ids,
    // The composition root hands the engine the server's loopback API, so the engine never imports the server.
    loopbackApi: () => import('./server/loopback-api.js').then((m) => m.loopbackApi(runtime)),
    onClose(closer) {
      closers.push(closer);
    },
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return work;
    },
    async close() {
      for (const r of running.values()) r.controller.abort();
      // Aborted commands and background memory work finish writing before their files and database go.
      await Promise.race([
        Promise.allSettled([...inFlight]),
        sleep(CLOSE_WAIT_MS, undefined, { ref: false }),
      ]);
      await Promise.allSettled(closers.map((closer) => closer()));
      await tracing?.shutdown();
      fileNames.close();
      try {
        audit.flush();
        runtime.models.ledger.flush(); // the model calls of this last event-loop turn
      } finally {
        db.close();
      }
    },
  };
  return runtime;
}
