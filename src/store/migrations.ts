/**
 * The store's schema, as an append-only list of migrations. Never edit a shipped migration:
 * add a new one at the end. `openDatabase` applies the ones a database has not seen.
 */

/** One schema step: a version number, a name, and the SQL that makes it. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, commands and the event log',
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE commands (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        intent TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT,
        result_json TEXT,
        error_json TEXT
      );
      CREATE INDEX commands_by_session ON commands(session_id, created_at);
      CREATE INDEX commands_by_status ON commands(status);
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL,
        command_id TEXT,
        type TEXT NOT NULL,
        ts TEXT NOT NULL,
        body_json TEXT NOT NULL
      );
      CREATE INDEX events_by_session ON events(session_id, id);
      CREATE INDEX events_by_command ON events(command_id, id);
    `,
  },
  {
    version: 2,
    name: 'hash-chained audit trail',
    sql: `
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts TEXT NOT NULL,
        session_id TEXT,
        command_id TEXT,
        kind TEXT NOT NULL,
        body_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'changes made by commands, for undo, redo and crash recovery',
    sql: `
      CREATE TABLE changes (
        id TEXT PRIMARY KEY,
        command_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        before_tree TEXT NOT NULL,
        after_tree TEXT,
        files_json TEXT NOT NULL DEFAULT '[]',
        commit_sha TEXT,
        summary TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX changes_by_state ON changes(state, created_at);
    `,
  },
  {
    version: 4,
    name: 'trust: checkpoint identity, what the agent wrote, owner processes and the per-repository change lock',
    sql: `
      ALTER TABLE changes ADD COLUMN checkpoint_commit TEXT;
      ALTER TABLE changes ADD COLUMN pending_tree TEXT;
      ALTER TABLE commands ADD COLUMN owner_pid INTEGER;
      ALTER TABLE commands ADD COLUMN owner_started TEXT;
      CREATE TABLE change_writes (
        change_id TEXT NOT NULL REFERENCES changes(id),
        path TEXT NOT NULL,
        mode TEXT,
        oid TEXT,
        source TEXT NOT NULL,
        base_mode TEXT,
        base_oid TEXT,
        written_at TEXT NOT NULL,
        PRIMARY KEY (change_id, path)
      );
      CREATE TABLE repo_locks (
        name TEXT PRIMARY KEY,
        command_id TEXT NOT NULL,
        text TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_started TEXT NOT NULL,
        acquired_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'statistics rolled up by hour and day, for the dashboard and /metrics',
    sql: `
      CREATE TABLE stat_commands (
        grain TEXT NOT NULL,
        period TEXT NOT NULL,
        intent TEXT NOT NULL,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        n INTEGER NOT NULL DEFAULT 0,
        duration_ms REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (grain, period, intent, status, source)
      ) WITHOUT ROWID;
      CREATE TABLE stat_latency (
        grain TEXT NOT NULL,
        period TEXT NOT NULL,
        series TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        n INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (grain, period, series, bucket)
      ) WITHOUT ROWID;
      CREATE TABLE stat_counts (
        grain TEXT NOT NULL,
        period TEXT NOT NULL,
        metric TEXT NOT NULL,
        label TEXT NOT NULL,
        value REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (grain, period, metric, label)
      ) WITHOUT ROWID;
      CREATE TABLE stat_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE INDEX commands_by_created ON commands(created_at);
    `,
  },
  {
    version: 6,
    name: 'model ledger, budget totals and alerts, learned model statistics',
    sql: `
      CREATE TABLE model_calls (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        settled_at TEXT,
        state TEXT NOT NULL,
        path TEXT NOT NULL,
        model TEXT NOT NULL,
        command_id TEXT,
        session_id TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cached_tokens INTEGER,
        reserved REAL NOT NULL DEFAULT 0,
        cost REAL,
        price_known INTEGER NOT NULL,
        estimated INTEGER NOT NULL DEFAULT 0,
        status TEXT,
        error TEXT,
        latency_ms INTEGER,
        windows_json TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_started TEXT NOT NULL
      );
      CREATE INDEX model_calls_by_time ON model_calls(created_at);
      CREATE INDEX model_calls_by_command ON model_calls(command_id);
      CREATE INDEX model_calls_by_state ON model_calls(state);
      CREATE TABLE budget_totals (
        window TEXT PRIMARY KEY,
        spent REAL NOT NULL DEFAULT 0,
        reserved REAL NOT NULL DEFAULT 0,
        calls INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE budget_alerts (
        window TEXT NOT NULL,
        level INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (window, level)
      );
      CREATE TABLE model_outcomes (
        change_id TEXT PRIMARY KEY,
        command_id TEXT NOT NULL,
        model TEXT NOT NULL,
        task TEXT NOT NULL,
        outcome TEXT NOT NULL,
        score REAL NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE model_stats (
        model TEXT NOT NULL,
        task TEXT NOT NULL,
        successes REAL NOT NULL DEFAULT 0,
        failures REAL NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (model, task)
      );
      CREATE INDEX model_stats_by_task ON model_stats(task);
    `,
  },
];
