import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

/** How often the worker moves the write-ahead log back into the database. */
const INTERVAL_MS = 250;
/** SQLite's own default: what the main connection goes back to if the worker stops. */
const AUTO_CHECKPOINT_PAGES = 1000;

/**
 * The worker: its own connection to the same file, a PASSIVE checkpoint every interval (it never
 * waits for a writer, so the server's connection is never blocked by it), nothing else.
 * Evaluated as CommonJS, so it needs no file of its own next to the compiled code.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); process.exit(0); });
`;

/** Stops the background checkpoints: the main connection checkpoints by itself again. */
export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/**
 * Moves SQLite's checkpoints off the request thread, for a long-running server. In WAL mode the
 * connection that commits the ~1,000th page copies the log back into the database and syncs it —
 * tens of milliseconds on a busy disk during which no request of the server moves. Here a worker
 * thread does it on its own connection every 250 ms, and the server's connection never does
 * (`wal_autocheckpoint = 0`); should the worker fail, the server's connection takes it back.
 * Other processes sharing the database (a `ralex run` in a terminal) keep checkpointing as usual.
 */
export function startBackgroundCheckpoints(db: Db, file: string): BackgroundCheckpoints {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_CODE, {
    eval: true,
    workerData: { file, sqlite, intervalMs: INTERVAL_MS },
  });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const takeBack = () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  };
  worker.once('error', (error) => {
    if (!stopped) console.error('ralex: background checkpoints stopped:', error.message);
    takeBack();
  });
  worker.once('exit', takeBack);
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
    },
  };
}
