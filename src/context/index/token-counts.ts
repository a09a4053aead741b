import type { TokenCountCache } from '../pack/tokenizer.js';
import type { IndexDb } from './index-database.js';

/** How many counts the index keeps; the oldest go first beyond it. */
export const MAX_TOKEN_COUNTS = 20_000;

/**
 * Token counts kept in the context index (`token_counts`), so they outlive the process: `db` is
 * asked each time, as a rebuild of the index replaces its database. A closed or failing database
 * only loses the remembering, never a count.
 */
export function indexTokenCounts(db: () => IndexDb, max = MAX_TOKEN_COUNTS): TokenCountCache {
  let prepared:
    | {
        db: IndexDb;
        get: (key: string) => number | undefined;
        set: (key: string, tokens: number) => void;
      }
    | undefined;
  let inserted = 0;
  const statements = () => {
    const current = db();
    if (prepared?.db !== current) {
      const get = current.prepare('SELECT tokens FROM token_counts WHERE key = ?').pluck();
      const set = current.prepare('INSERT OR IGNORE INTO token_counts (key, tokens) VALUES (?, ?)');
      const trim = current.prepare(
        'DELETE FROM token_counts WHERE rowid <= (SELECT max(rowid) FROM token_counts) - ?',
      );
      prepared = {
        db: current,
        get: (key) => get.get(key) as number | undefined,
        set: (key, tokens) => {
          set.run(key, tokens);
          if (++inserted % 500 === 0) trim.run(max);
        },
      };
    }
    return prepared;
  };
  return {
    get(key) {
      try {
        return statements().get(key);
      } catch {
        return undefined;
      }
    },
    set(key, tokens) {
      try {
        statements().set(key, tokens);
      } catch {
        // remembering is an optimisation: a closed or busy index loses it, nothing else
      }
    },
  };
}
