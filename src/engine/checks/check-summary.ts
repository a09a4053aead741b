import type { CheckTests } from '../../command/command-result.js';
import { type TestReport, testsWithStatus } from './test-report.js';

const MAX_FAILING = 20;
const MAX_ERRORS = 10;

/** The part of a test report every client sees: runner, counts, failing tests and errors (capped). */
export function summarizeTests(report: TestReport): CheckTests {
  return {
    runner: report.runner,
    format: report.format,
    passed: report.totals.passed,
    failed: report.totals.failed,
    skipped: report.totals.skipped,
    failing: testsWithStatus(report, 'failed').slice(0, MAX_FAILING),
    errors: report.errors.slice(0, MAX_ERRORS).map((e) => (e.length > 300 ? `${e.slice(0, 300)}…` : e)),
  };
}
