import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const FAIL = /^\s+FAIL\s+(?:(.+?)\s+)?"(.+)"$/;

/**
 * uvu's reporter: it names only failing tests (`FAIL  suite  "title"`); totals from
 * `Total:` (tests run), `Passed:` and `Skipped:`. Null without those totals — a file that
 * throws before uvu reports prints only the error, which Ralex cannot read as a test run.
 */
export function parseUvuText(output: string): TestReport | null {
  const number = (label: string) => {
    const m = new RegExp(`^\\s+${label}:\\s+(\\d+)$`, 'm').exec(output);
    return m ? Number(m[1]) : null;
  };
  const total = number('Total');
  const passed = number('Passed');
  if (total === null || passed === null) return null;
  const tests: ParsedTest[] = [];
  for (const line of output.split('\n')) {
    const m = FAIL.exec(line);
    if (m) tests.push({ name: [m[1]?.trim(), m[2]!].filter(Boolean).join(' > '), status: 'failed' });
  }
  const totals = { passed, failed: Math.max(0, total - passed), skipped: number('Skipped') ?? 0 };
  return buildReport('uvu', 'text', tests, { totals });
}
