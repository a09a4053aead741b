import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CheckOutcomeSchema } from '../../command/command-result.js';
import type { CheckRun } from './run-check.js';
import { TestReportSchema } from './test-report.js';

/** Bumped when what a baseline records changes: older entries then miss. */
const CACHE_VERSION = 1;
/** Entries kept; the oldest go first. */
const MAX_ENTRIES = 32;
/** A baseline this old is taken again (tests can depend on time, the network, installed packages). */
const MAX_AGE_MS = 24 * 60 * 60_000;

/** What a baseline's result depends on: the files (the checkpoint's tree) and how the tests ran. */
export interface BaselineKey {
  /** The checkpoint's tree id: tracked and untracked files, not ignored ones. */
  tree: string;
  /** The test command as run. */
  command: string;
  /** Whether the check had the network. */
  network: boolean;
}

const CachedBaselineSchema = z.object({
  version: z.literal(CACHE_VERSION),
  key: z.string(),
  at: z.number(),
  run: z.object({
    outcome: CheckOutcomeSchema,
    report: TestReportSchema.nullable(),
    output: z.string(),
  }),
});

/**
 * The test baselines of earlier changes (`.ralex/state/baselines/`, out of the agent's and the
 * checks' reach), keyed by the checkpoint's tree and the test command: a change made on a tree
 * whose baseline is known does not run the tests before it again. A changed file, command or
 * network setting misses; an entry older than a day misses; an unreadable one is a miss.
 */
export interface BaselineCache {
  get(key: BaselineKey): Promise<CheckRun | null>;
  /** Stores a baseline that ran to its end (not a timed-out or cancelled one). */
  put(key: BaselineKey, run: CheckRun): Promise<void>;
}

export function openBaselineCache(dir: string, options: { now?: () => number } = {}): BaselineCache {
  const now = options.now ?? Date.now;
  const fileOf = (id: string) => join(dir, `${id}.json`);
  return {
    async get(key) {
      const id = keyId(key);
      try {
        const entry = CachedBaselineSchema.parse(JSON.parse(await readFile(fileOf(id), 'utf8')));
        const age = now() - entry.at;
        if (entry.key !== id || age < 0 || age >= MAX_AGE_MS) return null;
        return entry.run;
      } catch {
        return null;
      }
    },
    async put(key, run) {
      if (run.outcome.timedOut || run.outcome.exitCode === null) return;
      const id = keyId(key);
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const tmp = join(dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
        const entry = { version: CACHE_VERSION, key: id, at: now(), run };
        await writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
        await rename(tmp, fileOf(id));
        await pruneOldest(dir, MAX_ENTRIES);
      } catch {
        // A baseline that cannot be stored only costs the next change a test run.
      }
    },
  };
}

function keyId(key: BaselineKey): string {
  return createHash('sha256')
    .update(JSON.stringify([CACHE_VERSION, key.tree, key.command, key.network]))
    .digest('hex');
}

async function pruneOldest(dir: string, keep: number): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= keep) return;
  const dated = await Promise.all(
    names.map(async (name) => ({ name, at: (await stat(join(dir, name)).catch(() => null))?.mtimeMs ?? 0 })),
  );
  dated.sort((a, b) => a.at - b.at);
  await Promise.all(dated.slice(0, names.length - keep).map((d) => rm(join(dir, d.name), { force: true })));
}
