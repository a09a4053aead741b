import { defineConfig } from 'vitest/config';

/** One runner for unit tests (beside the code) and cross-part tests (in test/). */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores on CI machines: keep parallelism modest so timing-based fault tests stay honest.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
