import { z } from 'zod';

/** How one test ended. */
export const TestStatusSchema = z.enum(['passed', 'failed', 'skipped']);
/** How one test ended. */
export type TestStatus = z.infer<typeof TestStatusSchema>;

/** Counts of tests by how they ended, as the runner reported them. */
export const TestTotalsSchema = z.object({
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
/** Counts of tests by how they ended. */
export type TestTotals = z.infer<typeof TestTotalsSchema>;

/** What Ralex read from one run of a test runner: each test it named, the totals, and errors outside tests. */
export const TestReportSchema = z.object({
  /** The runner or format read, e.g. `junit`, `tap`, `go-json`, `pytest`, `unittest`, `mocha`. */
  runner: z.string(),
  /** `machine`: a report meant for programs (JUnit XML, JSON, TAP); `text`: the runner's own output. */
  format: z.enum(['machine', 'text']),
  /** Test id → status. A name that occurs twice gets ` [2]`, ` [3]`… in the order the runner printed it. */
  tests: z.record(z.string(), TestStatusSchema),
  /** File (or module, package) of a test id, where the runner says. */
  files: z.record(z.string(), z.string()),
  totals: TestTotalsSchema,
  /** Failures outside any test: a file that did not load, a collection error, a build error. */
  errors: z.array(z.string()),
  /** True when every failing test is named in `tests` (some runners only count passing ones). */
  failuresNamed: z.boolean(),
});
/** What Ralex read from one run of a test runner. */
export type TestReport = z.infer<typeof TestReportSchema>;

/** One test as a parser found it. */
export interface ParsedTest {
  name: string;
  status: TestStatus;
  file?: string;
}

/**
 * Builds a report from the tests a parser found. Totals default to counts of the named tests;
 * a runner's own totals win when given (they include tests whose names it did not print).
 */
export function buildReport(
  runner: string,
  format: TestReport['format'],
  found: readonly ParsedTest[],
  extra: { totals?: Partial<TestTotals>; errors?: readonly string[] } = {},
): TestReport {
  const tests: Record<string, TestStatus> = {};
  const files: Record<string, string> = {};
  const seen = new Map<string, number>();
  for (const test of found) {
    const count = (seen.get(test.name) ?? 0) + 1;
    seen.set(test.name, count);
    const id = count === 1 ? test.name : `${test.name} [${count}]`;
    tests[id] = test.status;
    if (test.file) files[id] = test.file;
  }
  const counted = { passed: 0, failed: 0, skipped: 0 };
  for (const status of Object.values(tests)) counted[status]++;
  const totals = { ...counted, ...definedOnly(extra.totals ?? {}) };
  return {
    runner,
    format,
    tests,
    files,
    totals,
    errors: [...(extra.errors ?? [])],
    failuresNamed: counted.failed >= totals.failed,
  };
}

/** Tests that ran (passed or failed), by the runner's totals. */
export function testsRun(report: TestReport): number {
  return report.totals.passed + report.totals.failed;
}

/** Ids of the tests with a status. */
export function testsWithStatus(report: TestReport, status: TestStatus): string[] {
  return Object.entries(report.tests)
    .filter(([, s]) => s === status)
    .map(([id]) => id);
}

function definedOnly(totals: Partial<TestTotals>): Partial<TestTotals> {
  return Object.fromEntries(Object.entries(totals).filter(([, v]) => typeof v === 'number'));
}
