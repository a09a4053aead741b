import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASES } from '../../../test/fixtures/runner-output/cases.js';
import { stripAnsi } from '../../util/strip-ansi.js';
import { goJsonText } from './parsers/parse-go-json.js';
import { readTestReport } from './read-test-report.js';
import { testsWithStatus } from './test-report.js';

/** Real output of real runners, captured by test/fixtures/runner-output/capture.sh. */
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/runner-output/${name}`, import.meta.url), 'utf8');

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
