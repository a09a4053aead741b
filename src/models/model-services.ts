import type { Preferences } from '../config/preferences-schema.js';
import type { Db } from '../store/database.js';
import type { Clock, IdGenerator } from '../util/ids.js';
import { isOwnerAlive, type OwnerProcess } from '../util/proc-stat.js';
import { type BudgetAlert, type BudgetMeter, createBudgetMeter } from './budget-meter.js';
import type { ModelHop } from './metered-model.js';
import { loadModelCatalog, type ModelCatalog } from './model-catalog.js';
import { createModelHealth, type ModelHealth } from './model-health.js';
import { describeModel, type ModelInfo } from './model-info.js';
import { createModelLedger, type FinishedCall, type ModelLedger } from './model-ledger.js';
import { createPerformanceStats, type PerformanceStats } from './performance-stats.js';

/** Whose an engine's model calls are: the command, its session, the router's fallbacks, where hops are told. */
export interface EngineCallScope {
  commandId: string;
  sessionId: string;
  /** Models to move to, in order, when the chosen one keeps failing (the router's fallbacks for the command). */
  fallbacks?: readonly string[];
  /** Hears each retry and move to another model, for the command's result. */
  onHop?: (hop: ModelHop) => void;
}

/** Routing, metering and learning for one runtime: the catalog, the ledger and budgets, health, statistics. */
export interface ModelServices {
  /** Loads the catalog (once); `describe` uses it from then on. */
  ready(): Promise<ModelCatalog>;
  /** What is known of a `provider:model` (before `ready()`, without the catalog). */
  describe(id: string): ModelInfo;
  ledger: ModelLedger;
  meter: BudgetMeter;
  health: ModelHealth;
  stats: PerformanceStats;
  /** Ties an engine's own session id (OpenCode's `x-session-id`) to the command its calls are for. */
  attribute(clientSessionId: string, scope: EngineCallScope | null): void;
  /** The command a call with this engine session id belongs to, if any. */
  attributed(clientSessionId: string): EngineCallScope | undefined;
  /** Writes the learned statistics to `.ralex/cache/model_performance.json`. */
  exportStats(): void;
}

/** Wires the model services over the store. Holds left by dead processes are settled here. */
export function createModelServices(options: {
  db: Db;
  preferences: Pick<Preferences, 'models' | 'routing' | 'budgets'>;
  clock: Clock;
  ids: IdGenerator;
  owner: OwnerProcess;
  performanceFile: string;
  onAlert?: (alert: BudgetAlert, scope: { sessionId: string | null; commandId: string | null }) => void;
  /** Hears of every model call settled or released, a ledger commit's calls together (the statistics count them). */
  onCallsFinished?: (calls: readonly FinishedCall[]) => void;
}): ModelServices {
  const { preferences, clock } = options;
  const ledger = createModelLedger(options.db, { onFinished: options.onCallsFinished });
  ledger.settleOrphans(isOwnerAlive, clock().toISOString());
  const stats = createPerformanceStats(options.db);
  let catalog: ModelCatalog | null = null;
  const infos = new Map<string, ModelInfo>();
  const attribution = new Map<string, EngineCallScope>();
  return {
    attribute(clientSessionId, scope) {
      if (scope) attribution.set(clientSessionId, scope);
      else attribution.delete(clientSessionId);
    },
    attributed: (clientSessionId) => attribution.get(clientSessionId),
    async ready() {
      if (!catalog) {
        catalog = await loadModelCatalog();
        infos.clear();
      }
      return catalog;
    },
    describe(id) {
      let info = infos.get(id);
      if (!info) {
        info = describeModel(id, catalog, preferences.models);
        if (catalog) infos.set(id, info);
      }
      return info;
    },
    ledger,
    meter: createBudgetMeter({
      ledger,
      budgets: preferences.budgets,
      routing: preferences.routing,
      clock,
      ids: options.ids,
      owner: options.owner,
      onAlert: options.onAlert,
    }),
    health: createModelHealth(preferences.routing),
    stats,
    exportStats: () => stats.exportTo(options.performanceFile, clock().toISOString()),
  };
}
