import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../util/strip-ansi.js';
import { readTestReport } from './read-test-report.js';
import { buildReport, type ParsedTest, type TestReport } from './test-report.js';
import { type JudgedRun, judgeChange, type VerdictInput } from './verdict.js';

const t = (name: string, status: ParsedTest['status'], file?: string): ParsedTest => ({
  name,
  status,
  ...(file ? { file } : {}),
});
const run = (
  report: TestReport | null,
  exitCode: number | null = report?.totals.failed ? 1 : 0,
  timedOut = false,
): JudgedRun => ({
  outcome: { exitCode, timedOut },
  report,
});
const tap = (...tests: ParsedTest[]) => buildReport('tap', 'machine', tests);
const noTargets = { files: [], filter: null };
const fix = (baseline: JudgedRun | null, after: JudgedRun, targets: VerdictInput['targets'] = noTargets) =>
  judgeChange({ kind: 'fix', targets, baseline, after });
const change = (baseline: JudgedRun | null, after: JudgedRun) =>
  judgeChange({ kind: 'change', targets: noTargets, baseline, after });

const BASE = run(tap(t('adds', 'passed'), t('subtracts', 'failed'), t('divides', 'passed')));

describe('judgeChange: a fix is verified only when its tests pass and nothing that passed fails', () => {
  it.each([
    [
      'the failing test now passes',
      run(tap(t('adds', 'passed'), t('subtracts', 'passed'), t('divides', 'passed'))),
      true,
      'verified',
    ],
    ['wrong to another wrong: the test still fails', BASE, false, 'targets_failing'],
    [
      'the fix breaks another test',
      run(tap(t('adds', 'failed'), t('subtracts', 'passed'), t('divides', 'passed'))),
      false,
      'new_failures',
    ],
    [
      'a passing test no longer runs',
      run(tap(t('adds', 'passed'), t('subtracts', 'passed'))),
      false,
      'fewer_tests',
    ],
    [
      'a passing test is now skipped',
      run(tap(t('adds', 'passed'), t('subtracts', 'passed'), t('divides', 'skipped'))),
      false,
      'fewer_tests',
    ],
    [
      'the failing test was deleted',
      run(tap(t('adds', 'passed'), t('divides', 'passed'))),
      false,
      'fewer_tests',
    ],
    ['the runner can no longer be read', run(null, 0), false, 'unreadable'],
    [
      'the suite crashes',
      run(buildReport('tap', 'machine', [], { errors: ['test/math.test.js failed to run'] }), 1),
      false,
      'errors',
    ],
    ['the run timed out', run(null, null, true), false, 'timed_out'],
    [
      'exit 1 while every test passed',
      run(tap(t('adds', 'passed'), t('subtracts', 'passed'), t('divides', 'passed')), 1),
      false,
      'exit_code',
    ],
    [
      'another runner reports',
      run(
        buildReport('pytest', 'text', [
          t('adds', 'passed'),
          t('subtracts', 'passed'),
          t('divides', 'passed'),
        ]),
      ),
      false,
      'runner_changed',
    ],
  ])('%s', (_what, after, ok, reason) => {
    const verdict = fix(BASE, after);
    expect(verdict).toMatchObject({ verified: ok, reason });
    expect(verdict.summary.length).toBeGreaterThan(10);
  });

  it('names the tests a wrong-to-wrong fix still fails', () => {
    expect(fix(BASE, BASE)).toMatchObject({ stillFailing: ['subtracts'], targets: ['subtracts'] });
  });

  it('targets the tests of a test file the command names, by file', () => {
    const base = run(
      buildReport('jest-json', 'machine', [
        t('a', 'failed', 'test/a.test.js'),
        t('b', 'failed', 'test/b.test.js'),
      ]),
    );
    const onlyA = run(
      buildReport('jest-json', 'machine', [
        t('a', 'passed', 'test/a.test.js'),
        t('b', 'failed', 'test/b.test.js'),
      ]),
    );
    expect(fix(base, onlyA, { files: ['test/a.test.js'], filter: null })).toMatchObject({
      verified: true,
      targets: ['a'],
    });
    // Without a name, every test failing at the baseline is a target.
    expect(fix(base, onlyA)).toMatchObject({ verified: false, stillFailing: ['b'] });
  });

  it('targets by filter, and by module for runners that give dotted modules', () => {
    const base = run(
      buildReport('junit', 'machine', [
        t('tests.test_auth > test_login', 'failed', 'tests.test_auth'),
        t('tests.test_db > test_x', 'failed', 'tests.test_db'),
      ]),
    );
    const after = run(
      buildReport('junit', 'machine', [
        t('tests.test_auth > test_login', 'passed', 'tests.test_auth'),
        t('tests.test_db > test_x', 'failed', 'tests.test_db'),
      ]),
    );
    expect(fix(base, after, { files: ['tests/test_auth.py'], filter: null }).verified).toBe(true);
    expect(fix(base, after, { files: [], filter: 'login' }).verified).toBe(true);
    expect(fix(base, after, { files: [], filter: 'test_x' }).verified).toBe(false);
  });

  it('compares counts when a runner names no passing tests (uvu, pytest -q)', () => {
    const uvu = (failed: string[], passed: number) =>
      run(
        buildReport(
          'uvu',
          'text',
          failed.map((n) => t(n, 'failed')),
          { totals: { passed, failed: failed.length, skipped: 0 } },
        ),
      );
    expect(fix(uvu(['subtracts'], 4), uvu([], 5)).verified).toBe(true);
    expect(fix(uvu(['subtracts'], 4), uvu(['subtracts'], 4))).toMatchObject({
      verified: false,
      reason: 'targets_failing',
    });
    expect(fix(uvu(['subtracts'], 4), uvu([], 3))).toMatchObject({ verified: false, reason: 'fewer_tests' });
  });
});

describe('judgeChange: any other change is verified when nothing that passed fails and the suite still runs', () => {
  it.each([
    ['all pass, as before', BASE, BASE, true, 'verified'],
    ['a test that failed before still fails', BASE, BASE, true, 'verified'],
    [
      'a new failing test',
      BASE,
      run(tap(t('adds', 'failed'), t('subtracts', 'failed'), t('divides', 'passed'))),
      false,
      'new_failures',
    ],
    [
      'a new test that fails',
      BASE,
      run(tap(t('adds', 'passed'), t('subtracts', 'failed'), t('divides', 'passed'), t('new', 'failed'))),
      false,
      'new_failures',
    ],
    [
      'unreadable before and after, both exit 1 ("same as before" is not a pass)',
      run(null, 1),
      run(null, 1),
      false,
      'unreadable',
    ],
    ['unreadable before and after, both exit 0', run(null, 0), run(null, 0), true, 'verified'],
    [
      'readable before, unreadable after with exit 0 (scripts.test → echo ok)',
      BASE,
      run(null, 0),
      false,
      'unreadable',
    ],
    ['a crash under a runner that cannot be read', run(null, 0), run(null, 1), false, 'unreadable'],
    ['no tests before and none after', run(tap()), run(tap()), true, 'verified'],
    ['tests before, none after', BASE, run(tap(), 0), false, 'fewer_tests'],
    ['unreadable before, all pass after', run(null, 1), run(tap(t('a', 'passed'))), true, 'verified'],
    ['unreadable before, failures after', run(null, 1), run(tap(t('a', 'failed'))), false, 'unreadable'],
  ])('%s', (_what, before, after, ok, reason) => {
    expect(change(before, after)).toMatchObject({ verified: ok, reason });
  });

  it('lets an error outside tests that was already there stand, but not a new one', () => {
    const broken = (errors: string[], passed: number) =>
      run(buildReport('pytest', 'text', [], { totals: { passed, failed: 0, skipped: 0 }, errors }), 1);
    expect(
      change(broken(['tests/test_old.py: error'], 3), broken(['tests/test_old.py: error'], 3)),
    ).toMatchObject({ verified: true });
    expect(change(broken([], 3), broken(['tests/test_new.py: error'], 3))).toMatchObject({
      verified: false,
      reason: 'errors',
    });
  });
});

describe('judgeChange on what real runners printed (test/fixtures/runner-output/)', () => {
  const real = (name: string, exitCode: number): JudgedRun => {
    const output = stripAnsi(
      readFileSync(new URL(`../../../test/fixtures/runner-output/${name}.txt`, import.meta.url), 'utf8'),
    );
    return run(readTestReport({ output }), exitCode);
  };
  it.each([
    ['node-tap-mixed', 'node-tap-crash', 'fix', false, 'errors'],
    ['node-tap-mixed', 'node-tap-pass', 'fix', true, 'verified'],
    ['node-tap-mixed', 'node-tap-empty', 'change', false, 'fewer_tests'],
    ['pytest-q-mixed', 'pytest-q-pass', 'fix', true, 'verified'],
    ['pytest-q-mixed', 'pytest-q-crash', 'change', false, 'errors'],
    ['pytest-q-mixed', 'pytest-q-empty', 'change', false, 'fewer_tests'],
    ['unittest-default-mixed', 'unittest-default-crash', 'change', false, 'errors'],
    ['uvu-mixed', 'uvu-crash', 'change', false, 'unreadable'],
    ['uvu-mixed', 'uvu-pass', 'fix', true, 'verified'],
    ['go-json-mixed', 'go-json-crash', 'change', false, 'errors'],
    ['cargo-mixed', 'cargo-crash', 'change', false, 'errors'],
    ['mocha-spec-mixed', 'mocha-spec-crash', 'change', false, 'errors'],
    ['jest-default-mixed', 'jest-default-crash', 'change', false, 'errors'],
    ['vitest-default-mixed', 'vitest-default-crash', 'change', false, 'errors'],
    ['ava-mixed', 'ava-crash', 'change', false, 'errors'],
  ] as const)('%s → %s (%s): verified %s (%s)', (before, after, kind, ok, reason) => {
    const exit = (name: string) =>
      Number(
        readFileSync(new URL(`../../../test/fixtures/runner-output/${name}.exit`, import.meta.url), 'utf8'),
      );
    const verdict = judgeChange({
      kind,
      targets: noTargets,
      baseline: real(before, exit(before)),
      after: real(after, exit(after)),
    });
    expect(verdict).toMatchObject({ verified: ok, reason });
  });
});
