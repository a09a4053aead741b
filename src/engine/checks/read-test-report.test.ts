import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../util/strip-ansi.js';
import { goJsonText } from './parsers/parse-go-json.js';
import { type ReportFile, readTestReport } from './read-test-report.js';
import { testsWithStatus } from './test-report.js';

/** Real output of real runners, captured by test/fixtures/runner-output/capture.sh. */
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/runner-output/${name}`, import.meta.url), 'utf8');

interface Case {
  fixture: string;
  file?: { name: string; format: ReportFile['format'] };
  runner: string;
  totals: { passed: number; failed: number; skipped: number };
  failing: string[];
  errors?: number;
  passing?: string[];
}

const JS_FAILING = ['subtracts', 'division > rounds down'];

const CASES: Case[] = [
  // node --test: TAP is Node 20's reporter when stdout is not a terminal
  {
    fixture: 'node-tap-mixed',
    runner: 'tap',
    totals: { passed: 4, failed: 4, skipped: 2 },
    failing: ['subtracts', 'division > rounds down', 'more subtracts', 'division > rounds down [2]'],
    passing: ['adds two numbers', 'division > divides evenly', 'more adds'],
  },
  { fixture: 'node-tap-pass', runner: 'tap', totals: { passed: 8, failed: 0, skipped: 2 }, failing: [] },
  {
    fixture: 'node-tap-crash',
    runner: 'tap',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  { fixture: 'node-tap-empty', runner: 'tap', totals: { passed: 0, failed: 0, skipped: 0 }, failing: [] },
  {
    fixture: 'node-spec-mixed',
    runner: 'node-spec',
    totals: { passed: 4, failed: 4, skipped: 2 },
    failing: ['subtracts', 'division > rounds down', 'more subtracts', 'division > rounds down [2]'],
  },
  {
    fixture: 'node-junit-mixed',
    file: { name: 'node-junit-mixed.xml', format: 'junit' },
    runner: 'junit',
    totals: { passed: 4, failed: 4, skipped: 2 },
    failing: ['subtracts', 'division > rounds down', 'more subtracts', 'division > rounds down [2]'],
  },
  // mocha: spec is its default reporter; xunit is its JUnit
  {
    fixture: 'mocha-spec-mixed',
    runner: 'mocha',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: JS_FAILING,
    passing: ['adds two numbers', 'division > divides evenly'],
  },
  { fixture: 'mocha-spec-pass', runner: 'mocha', totals: { passed: 4, failed: 0, skipped: 1 }, failing: [] },
  {
    fixture: 'mocha-spec-crash',
    runner: 'mocha',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  {
    fixture: 'mocha-xunit-mixed',
    file: { name: 'mocha-xunit-mixed.xml', format: 'junit' },
    runner: 'junit',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: JS_FAILING,
  },
  // jest: default reporter, and --json --outputFile
  {
    fixture: 'jest-default-mixed',
    runner: 'jest',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: JS_FAILING,
    passing: ['adds two numbers', 'division > divides evenly'],
  },
  { fixture: 'jest-default-pass', runner: 'jest', totals: { passed: 4, failed: 0, skipped: 1 }, failing: [] },
  {
    fixture: 'jest-default-crash',
    runner: 'jest',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  {
    fixture: 'jest-json-mixed',
    file: { name: 'jest-json-mixed.json', format: 'jest-json' },
    runner: 'jest-json',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: JS_FAILING,
  },
  {
    fixture: 'jest-json-crash',
    file: { name: 'jest-json-crash.json', format: 'jest-json' },
    runner: 'jest-json',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  // vitest: default reporter, and junit to a file
  {
    fixture: 'vitest-default-mixed',
    runner: 'vitest',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: JS_FAILING,
    passing: ['adds two numbers', 'division > divides evenly'],
  },
  {
    fixture: 'vitest-default-pass',
    runner: 'vitest',
    totals: { passed: 4, failed: 0, skipped: 1 },
    failing: [],
  },
  {
    fixture: 'vitest-default-crash',
    runner: 'vitest',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  {
    fixture: 'vitest-color-mixed',
    runner: 'vitest',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: JS_FAILING,
  },
  {
    fixture: 'vitest-junit-mixed',
    file: { name: 'vitest-junit-mixed.xml', format: 'junit' },
    runner: 'junit',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: ['test/math.test.js > subtracts', 'test/math.test.js > division > rounds down'],
  },
  {
    fixture: 'vitest-junit-crash',
    file: { name: 'vitest-junit-crash.xml', format: 'junit' },
    runner: 'junit',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  // uvu names only failures; a file that throws before uvu reports cannot be read
  {
    fixture: 'uvu-mixed',
    runner: 'uvu',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: ['subtracts', 'division > rounds down'],
  },
  { fixture: 'uvu-pass', runner: 'uvu', totals: { passed: 4, failed: 0, skipped: 1 }, failing: [] },
  // ava
  {
    fixture: 'ava-mixed',
    runner: 'ava',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: ['subtracts', 'division › rounds down'],
  },
  { fixture: 'ava-pass', runner: 'ava', totals: { passed: 4, failed: 0, skipped: 1 }, failing: [] },
  {
    fixture: 'ava-crash',
    runner: 'ava',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 2,
  },
  // pytest: -q, default, and --junitxml (as Ralex asks for it, through PYTEST_ADDOPTS)
  {
    fixture: 'pytest-q-mixed',
    runner: 'pytest',
    totals: { passed: 3, failed: 2, skipped: 1 },
    failing: [
      'tests/test_calc.py::test_subtracts',
      'tests/test_calc.py::TestDivision::test_rounds_down[9-2-5]',
    ],
  },
  {
    fixture: 'pytest-default-mixed',
    runner: 'pytest',
    totals: { passed: 3, failed: 2, skipped: 1 },
    failing: [
      'tests/test_calc.py::test_subtracts',
      'tests/test_calc.py::TestDivision::test_rounds_down[9-2-5]',
    ],
  },
  { fixture: 'pytest-q-pass', runner: 'pytest', totals: { passed: 5, failed: 0, skipped: 1 }, failing: [] },
  {
    fixture: 'pytest-q-crash',
    runner: 'pytest',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  { fixture: 'pytest-q-empty', runner: 'pytest', totals: { passed: 0, failed: 0, skipped: 0 }, failing: [] },
  {
    fixture: 'pytest-junit-mixed',
    file: { name: 'pytest-junit-mixed.xml', format: 'junit' },
    runner: 'junit',
    totals: { passed: 3, failed: 2, skipped: 1 },
    failing: ['tests.test_calc > test_subtracts', 'tests.test_calc.TestDivision > test_rounds_down[9-2-5]'],
    passing: ['tests.test_calc.TestDivision > test_rounds_down[7-2-3]'],
  },
  {
    fixture: 'pytest-junit-crash',
    file: { name: 'pytest-junit-crash.xml', format: 'junit' },
    runner: 'junit',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  // python -m unittest (stdlib)
  {
    fixture: 'unittest-default-mixed',
    runner: 'unittest',
    totals: { passed: 1, failed: 2, skipped: 1 },
    failing: ['tests.test_calc.CalcTest.test_errors', 'tests.test_calc.CalcTest.test_subtracts'],
  },
  {
    fixture: 'unittest-verbose-mixed',
    runner: 'unittest',
    totals: { passed: 1, failed: 2, skipped: 1 },
    failing: ['tests.test_calc.CalcTest.test_errors', 'tests.test_calc.CalcTest.test_subtracts'],
    passing: ['tests.test_calc.CalcTest.test_adds'],
  },
  {
    fixture: 'unittest-default-pass',
    runner: 'unittest',
    totals: { passed: 3, failed: 0, skipped: 1 },
    failing: [],
  },
  {
    fixture: 'unittest-default-crash',
    runner: 'unittest',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  // go test: -json (as Ralex asks for it), and text with and without -v
  {
    fixture: 'go-json-mixed',
    runner: 'go-json',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: ['example.com/calc/calc TestSub', 'example.com/calc/calc TestDivision/rounds_down'],
    passing: ['example.com/calc/calc TestAdd'],
  },
  { fixture: 'go-json-pass', runner: 'go-json', totals: { passed: 4, failed: 0, skipped: 1 }, failing: [] },
  {
    fixture: 'go-json-crash',
    runner: 'go',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  {
    fixture: 'go-verbose-mixed',
    runner: 'go',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: ['example.com/calc/calc TestSub', 'example.com/calc/calc TestDivision/rounds_down'],
  },
  {
    fixture: 'go-text-mixed',
    runner: 'go',
    totals: { passed: 0, failed: 2, skipped: 0 },
    failing: ['example.com/calc/calc TestSub', 'example.com/calc/calc TestDivision/rounds_down'],
  },
  {
    fixture: 'go-text-crash',
    runner: 'go',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
  // cargo test (stable cargo has no JSON test output)
  {
    fixture: 'cargo-mixed',
    runner: 'cargo',
    totals: { passed: 2, failed: 2, skipped: 1 },
    failing: ['src/lib.rs tests::division::rounds_down', 'src/lib.rs tests::subtracts'],
  },
  { fixture: 'cargo-pass', runner: 'cargo', totals: { passed: 4, failed: 0, skipped: 1 }, failing: [] },
  {
    fixture: 'cargo-crash',
    runner: 'cargo',
    totals: { passed: 0, failed: 0, skipped: 0 },
    failing: [],
    errors: 1,
  },
];

describe('readTestReport reads what real runners print', () => {
  it.each(CASES)('$fixture', (c) => {
    const output = stripAnsi(fixture(`${c.fixture}.txt`));
    const file = c.file ? { format: c.file.format, text: fixture(c.file.name) } : null;
    const report = readTestReport({ output, file, root: '/tmp/ralex-runner-capture/jest' });
    expect(report).not.toBeNull();
    expect(report!.runner).toBe(c.runner);
    expect(report!.totals).toEqual(c.totals);
    expect(testsWithStatus(report!, 'failed').sort()).toEqual([...c.failing].sort());
    expect(report!.errors).toHaveLength(c.errors ?? 0);
    for (const name of c.passing ?? []) expect(report!.tests[name]).toBe('passed');
    if (c.totals.failed > 0) expect(report!.failuresNamed).toBe(true);
  });

  it.each([
    'uvu-crash',
    'mocha-xunit-mixed',
  ])('cannot read %s (no runner summary in the output): null', (name) => {
    expect(readTestReport({ output: stripAnsi(fixture(`${name}.txt`)) })).toBeNull();
  });

  it('covers every captured output', () => {
    const covered = new Set([...CASES.map((c) => c.fixture), 'uvu-crash', 'mocha-xunit-mixed']);
    const captured = readFileSync(
      new URL('../../../test/fixtures/runner-output/capture.sh', import.meta.url),
      'utf8',
    ).matchAll(/^(?:\S+=\S+ )?run ([a-z0-9-]+) /gm);
    for (const [, name] of captured) {
      expect(existsSync(new URL(`../../../test/fixtures/runner-output/${name}.txt`, import.meta.url))).toBe(
        true,
      );
      expect(covered.has(name!)).toBe(true);
    }
  });

  it('turns go test -json back into the text go would have printed', () => {
    const text = goJsonText(fixture('go-json-mixed.txt'));
    expect(text).toContain('--- FAIL: TestSub (0.00s)');
    expect(text).toContain('calc_test.go:27: 7/2 is not 4');
    expect(text).not.toContain('"Action"');
  });
});
