import { defineConfig } from 'vitest/config';

/** One runner for unit tests (beside the code) and cross-part tests (in test/). */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A bound on a hung test, not a speed check (speed lives in bench/): tests that start several
    // real processes (CLI runs, a server, Chromium) take 10-30 s on two cores shared with other work.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores on CI machines: keep parallelism modest so timing-based fault tests stay honest.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
