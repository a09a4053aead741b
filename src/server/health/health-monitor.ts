import { context7StatusOf } from '../../pipeline/context-guidance.js';
import type { Runtime } from '../../runtime.js';
import { type ComponentHealth, createHealthBoard, type ProbeResult } from './component-health.js';
import {
  probeDocs,
  probeProvider,
  probeRecogniser,
  probeSandbox,
  probeStore,
  probeSyncRemote,
} from './health-probes.js';

/** How often and how long the monitor probes. */
export interface HealthMonitorOptions {
  /** Between probe rounds (default 15 s: an upstream gone is reported within 15 s + the probe timeout). */
  intervalMs?: number;
  /** Longest wait for one provider's answer (default 3 s). */
  probeTimeoutMs?: number;
  /** The sync remote is asked every this many rounds (default 20: every 5 min at the default interval). */
  remoteEveryRounds?: number;
  /** Start probing at once (default) rather than at the first read. */
  eager?: boolean;
}

/** Keeps every component's health fresh in the background; `/health` reads the cache. */
export interface HealthMonitor {
  /** The components as last probed; waits for the first round (bounded by the probe timeout). */
  components(): Promise<Record<string, ComponentHealth>>;
  /** The components as last probed, without waiting (empty before the first round). */
  current(): Record<string, ComponentHealth>;
  /** Called after each provider probe (for the upstream metrics). */
  onProbe(listener: (provider: string, ok: boolean) => void): void;
  /** Probes every component now (tests, `ralex doctor`). */
  probeNow(): Promise<void>;
  stop(): void;
}

/**
 * Starts the monitor: a round probes the store, every model provider (concurrently, each
 * bounded by the timeout), the sandbox, the recogniser, library docs (Context7's last outcome) and — every few rounds, and only when
 * memory sync is on — the git remote. Rounds never overlap; the timer does not keep the process alive.
 */
export function startHealthMonitor(rt: Runtime, options: HealthMonitorOptions = {}): HealthMonitor {
  const intervalMs = options.intervalMs ?? 15_000;
  const timeoutMs = options.probeTimeoutMs ?? 3_000;
  const remoteEvery = options.remoteEveryRounds ?? 20;
  const board = createHealthBoard();
  const set = (name: string, result: ProbeResult) => board.set(name, result, rt.clock());
  const probeListeners: ((provider: string, ok: boolean) => void)[] = [];
  let round = 0;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const probeRound = async () => {
    const n = round++;
    set('store', probeStore(rt));
    await rt.registry.ready();
    const providers = rt.registry.providers;
    const results = await Promise.all(providers.map((p) => probeProvider(p, timeoutMs)));
    for (const [i, p] of providers.entries()) {
      set(`model:${p.id}`, results[i]!);
      for (const listener of probeListeners) listener(p.id, results[i]!.state === 'ok');
    }
    set('models', modelsSummary(providers.map((p, i) => ({ id: p.id, result: results[i]! }))));
    const [sandbox, recogniser] = await Promise.all([probeSandbox(), probeRecogniser(rt)]);
    set('sandbox', sandbox);
    set('recogniser', recogniser);
    const { trust } = rt.policy;
    set('rules', {
      state: trust.state === 'untrusted' && trust.loosening.length > 0 ? 'degraded' : 'ok',
      detail: trust.message,
    });
    set(
      'docs',
      probeDocs(context7StatusOf(rt), rt.config.preferences.docs.installed, (ms) =>
        new Date(ms).toISOString(),
      ),
    );
    if (n % remoteEvery === 0) set('sync', await probeSyncRemote(rt, Math.max(timeoutMs, 10_000)));
  };
  const probeNow = () => {
    running ??= probeRound()
      .catch((error) => console.error('ralex: health probe failed:', (error as Error).message))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void probeNow().then(schedule), intervalMs);
    timer.unref();
  };
  let first: Promise<void> | null = null;
  const start = () => {
    first ??= probeNow().then(schedule);
    return first;
  };
  if (options.eager !== false) void start();

  return {
    async components() {
      await Promise.race([start(), new Promise((r) => setTimeout(r, timeoutMs + 1_000).unref())]);
      return board.snapshot();
    },
    current: () => board.snapshot(),
    onProbe(listener) {
      probeListeners.push(listener);
    },
    probeNow,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Models as a whole: degraded when none is configured or none answers (direct commands still work). */
function modelsSummary(providers: { id: string; result: ProbeResult }[]): ProbeResult {
  if (!providers.length)
    return {
      state: 'degraded',
      detail: 'No model provider configured: direct commands work, model commands do not.',
    };
  const up = providers.filter((p) => p.result.state === 'ok');
  const list = providers.map((p) => `${p.id} (${p.result.state === 'ok' ? 'ok' : 'unreachable'})`).join(', ');
  if (up.length === providers.length) return { state: 'ok', detail: list };
  return {
    state: 'degraded',
    detail: up.length ? `${list}: commands use the providers that answer` : `${list}: no provider answers`,
    error: providers.find((p) => p.result.state !== 'ok')?.result.error,
  };
}
