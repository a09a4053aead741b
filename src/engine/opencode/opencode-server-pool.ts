import type { OpenCodeProviderSettings } from './opencode-config.js';
import { type OpenCodeServer, type OpenCodeServerOptions, startOpenCodeServer } from './opencode-server.js';

/** A server handed to one run; `release()` when the run is over. */
export interface OpenCodeLease {
  readonly server: OpenCodeServer;
  release(): void;
}

/** Server options without the model list: the pool adds each run's model to it. */
export type OpenCodePoolOptions = Omit<OpenCodeServerOptions, 'provider'> & {
  provider: Omit<OpenCodeProviderSettings, 'models'>;
};

/** Lazily started, shared OpenCode servers: one live server per process, reused across runs. */
export interface OpenCodeServerPool {
  /** A running server whose config offers `model`; starts (or restarts with the wider model list) when needed. */
  acquire(options: OpenCodePoolOptions, model: string): Promise<OpenCodeLease>;
  /** Stops every server now, runs in flight included (call on shutdown). */
  close(): Promise<void>;
}

interface Entry {
  key: string;
  models: Set<string>;
  server: Promise<OpenCodeServer>;
  leases: number;
  retired: boolean;
}

/**
 * Creates a pool. The config (provider URL, token, models) is fixed when `opencode serve` starts,
 * so a run with another endpoint or an unknown model starts a new server; the old one is stopped
 * as soon as its last lease is released, so runs in flight are not cut off.
 */
export function createOpenCodeServerPool(
  start: typeof startOpenCodeServer = startOpenCodeServer,
): OpenCodeServerPool {
  let current: Entry | null = null;
  const stopping = new Set<Promise<void>>();
  const live = new Set<Entry>();

  const stopEntry = (entry: Entry) => {
    if (!live.delete(entry)) return;
    const done = entry.server.then((s) => s.stop()).catch(() => undefined);
    stopping.add(done);
    void done.then(() => stopping.delete(done));
  };
  const retire = (entry: Entry) => {
    entry.retired = true;
    if (current === entry) current = null;
    if (entry.leases === 0) stopEntry(entry);
  };
  const open = (options: OpenCodePoolOptions, key: string, models: Set<string>): Entry => {
    const server = start({ ...options, provider: { ...options.provider, models: [...models] } });
    const entry: Entry = { key, models, leases: 0, retired: false, server };
    live.add(entry);
    server.catch(() => {
      live.delete(entry);
      if (current === entry) current = null;
    });
    current = entry;
    return entry;
  };

  const acquire = async (
    options: OpenCodePoolOptions,
    model: string,
    retry = true,
  ): Promise<OpenCodeLease> => {
    const key = JSON.stringify([options.provider, options.binary, options.home, options.env, options.cwd]);
    let entry = current;
    if (!entry || entry.key !== key || !entry.models.has(model)) {
      const models = new Set(entry?.key === key ? [...entry.models, model] : [model]);
      if (entry) retire(entry);
      entry = open(options, key, models);
    }
    entry.leases++;
    let server: OpenCodeServer;
    try {
      server = await entry.server;
    } catch (error) {
      entry.leases--;
      throw error;
    }
    const held = entry;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.leases--;
      if (held.retired && held.leases === 0) stopEntry(held);
    };
    if (!server.alive()) {
      release();
      retire(held);
      if (retry) return acquire(options, model, false);
    }
    return { server, release };
  };

  return {
    acquire: (options, model) => acquire(options, model),
    async close() {
      current = null;
      for (const entry of [...live]) {
        entry.retired = true;
        stopEntry(entry);
      }
      await Promise.all([...stopping]);
    },
  };
}

/** The process-wide pool `runOpenCode` uses unless given another. */
export const sharedOpenCodeServers: OpenCodeServerPool = createOpenCodeServerPool();
