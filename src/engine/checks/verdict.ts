import { type TestReport, testsRun, testsWithStatus } from './test-report.js';
import { resolveTargets, type TestTargets } from './test-targets.js';

/** The part of a check run the verdict reads. */
export interface JudgedRun {
  outcome: { exitCode: number | null; timedOut: boolean; durationMs?: number };
  report: TestReport | null;
}

/** Why a change is, or is not, verified. */
export type VerdictReason =
  | 'verified'
  | 'timed_out'
  | 'unreadable'
  | 'runner_changed'
  | 'errors'
  | 'fewer_tests'
  | 'new_failures'
  | 'targets_failing'
  | 'exit_code';

/** Whether the checks after a change verify it, and why, in one sentence. */
export interface Verdict {
  verified: boolean;
  reason: VerdictReason;
  summary: string;
  /** Tests failing now that did not fail before the change. */
  newFailures: string[];
  /** For a fix: the tests it had to make pass, and those that still do not. */
  targets: string[];
  stillFailing: string[];
}

/** What a verdict judges: a fix (its target tests must pass) or any other change. */
export interface VerdictInput {
  kind: 'fix' | 'change';
  targets: TestTargets;
  baseline: JudgedRun | null;
  after: JudgedRun;
}

const list = (names: readonly string[], max = 5) =>
  names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');

/**
 * Judges the checks after a change against the baseline taken before it. Any change is verified
 * only when nothing that passed fails and the suite still runs: a timeout, a runner Ralex cannot
 * read, a different runner, a new error outside tests (a file that no longer loads), fewer tests
 * run, a new failing test, or a non-zero exit with no failing test (a crash) each fail it —
 * never "the same as before". A fix must also make its target tests pass: those the command
 * names, else those failing at the baseline. Pure: unit-tested without running anything.
 */
export function judgeChange(input: VerdictInput): Verdict {
  const { after, baseline } = input;
  const no = (reason: VerdictReason, summary: string, extra: Partial<Verdict> = {}): Verdict => ({
    verified: false,
    reason,
    summary,
    newFailures: [],
    targets: [],
    stillFailing: [],
    ...extra,
  });
  if (after.outcome.timedOut) return no('timed_out', 'the tests timed out (the whole run was stopped)');
  const now = after.report;
  const before = baseline?.report ?? null;
  if (!now) {
    if (after.outcome.exitCode === 0 && baseline && !before && baseline.outcome.exitCode === 0)
      return verified(
        'the test command passed (exit 0) before and after the change; Ralex cannot read which tests this runner ran',
        [],
        [],
      );
    return no(
      'unreadable',
      `Ralex could not read the test runner's output after the change (exit ${after.outcome.exitCode ?? 'none'}), so it cannot tell that the tests still run and pass`,
    );
  }
  const failingNow = testsWithStatus(now, 'failed');
  if (!before) {
    if (
      after.outcome.exitCode === 0 &&
      now.totals.failed === 0 &&
      now.errors.length === 0 &&
      testsRun(now) > 0
    )
      return verified(
        `${testsRun(now)} tests passed (Ralex could not read the runner before the change)`,
        [],
        [],
      );
    return no(
      'unreadable',
      `Ralex could not read the test runner before the change, so it cannot tell which of the ${now.totals.failed || 'current'} failures are new`,
      { newFailures: failingNow },
    );
  }
  const newErrors = now.errors.filter((e) => !before.errors.includes(e));
  if (newErrors.length) return no('errors', `the test suite no longer runs cleanly: ${list(newErrors, 3)}`);
  if (now.runner !== before.runner)
    return no(
      'runner_changed',
      `the tests report as ${now.runner} after the change but as ${before.runner} before: the test command changed`,
    );
  if (testsRun(now) === 0 && (testsRun(before) > 0 || now.errors.length))
    return no('fewer_tests', `no tests ran after the change (${testsRun(before)} before)`);
  if (testsRun(now) < testsRun(before))
    return no(
      'fewer_tests',
      `fewer tests ran after the change: ${testsRun(now)}, ${testsRun(before)} before`,
    );
  const vanished =
    namesAll(before) && namesAll(now)
      ? testsWithStatus(before, 'passed').filter(
          (id) => now.tests[id] !== 'passed' && now.tests[id] !== 'failed',
        )
      : [];
  if (vanished.length) return no('fewer_tests', `tests that passed before no longer run: ${list(vanished)}`);
  const failedBefore = new Set(testsWithStatus(before, 'failed'));
  const newFailures = failingNow.filter((id) => !failedBefore.has(id));
  const unnamedMore =
    (!now.failuresNamed || !before.failuresNamed) && now.totals.failed > before.totals.failed;
  if (newFailures.length || unnamedMore)
    return no(
      'new_failures',
      newFailures.length
        ? `new failures: ${list(newFailures)}`
        : `more tests fail: ${now.totals.failed}, ${before.totals.failed} before`,
      { newFailures },
    );
  if (after.outcome.exitCode !== 0 && now.totals.failed === 0 && now.errors.length === 0)
    return no(
      'exit_code',
      `the test command exited with code ${after.outcome.exitCode ?? 'none'} although no test failed (a crash, or another step of the command failed)`,
    );
  if (input.kind === 'fix') {
    const { ids, named } = resolveTargets(input.targets, before, now);
    // A runner that names only failures (uvu, pytest -q) passes a target it no longer names.
    const passes = (id: string) =>
      now.tests[id] === 'passed' || (now.tests[id] === undefined && !namesAll(now) && now.failuresNamed);
    const stillFailing = ids.filter((id) => !passes(id));
    const unnamed = !before.failuresNamed && ids.length === 0 && now.totals.failed > 0;
    if (stillFailing.length || unnamed)
      return no(
        'targets_failing',
        stillFailing.length
          ? `the ${named ? 'tests the command names' : 'tests that failed before the change'} still do not pass: ${list(stillFailing)}`
          : `${now.totals.failed} tests still fail`,
        { targets: ids, stillFailing },
      );
    return verified(
      ids.length
        ? `the ${named ? 'named' : 'failing'} tests now pass (${list(ids)}); nothing that passed fails (${now.totals.passed} passed, ${now.totals.failed} failed)`
        : `no test targeted this fix; nothing that passed fails (${now.totals.passed} passed, ${now.totals.failed} failed)`,
      ids,
      [],
    );
  }
  if (testsRun(now) === 0) return verified('no tests ran, before or after the change', [], []);
  return verified(
    failingNow.length
      ? `nothing that passed fails (${now.totals.passed} passed; ${failingNow.length} failed before the change too)`
      : `${now.totals.passed} tests passed, none failed`,
    [],
    [],
  );
}

function verified(summary: string, targets: string[], stillFailing: string[]): Verdict {
  return { verified: true, reason: 'verified', summary, newFailures: [], targets, stillFailing };
}

/** Whether a report names every test that passed (not only the failures). */
function namesAll(report: TestReport): boolean {
  return testsWithStatus(report, 'passed').length >= report.totals.passed;
}
