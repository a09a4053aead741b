import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const RESULT = /^\s+(✔|✘|-)\s+(?:\[(fail|skip|todo|expected fail)\]:?\s+)?(.+?)(?:\s+\(\d+m?s\))?$/;

/**
 * AVA's default reporter: `✔ title`, `✘ [fail]: title`, `- [skip] title`; totals from
 * `N tests passed|failed|skipped` where printed, else counted. `Uncaught exception in file`
 * and `✘ file exited with a non-zero exit code` are errors. Null without AVA's `─` rule
 * and one of those lines.
 */
export function parseAvaText(output: string): TestReport | null {
  const lines = output.split('\n');
  const counts = (word: string) => {
    const m = new RegExp(`^\\s+(\\d+) (?:tests?|known failures?) ${word}\\b`, 'm').exec(output);
    return m ? Number(m[1]) : undefined;
  };
  const errors = lines
    .filter((l) =>
      /^\s+(?:Uncaught exception in \S|✘ \S.* exited with a non-zero exit code|✘ Timed out)/.test(l),
    )
    .map((l) => l.trim().replace(/^✘ /, ''));
  const tests: ParsedTest[] = [];
  for (const line of lines) {
    const m = RESULT.exec(line);
    if (!m || /exited with a non-zero exit code|^Timed out/.test(m[3]!)) continue;
    const status = m[1] === '✔' ? 'passed' : m[1] === '✘' ? 'failed' : 'skipped';
    tests.push({ name: m[3]!.trim(), status });
  }
  const isAva = lines.some((l) => /^\s+─$/.test(l)) || errors.length > 0;
  if (!isAva || (tests.length === 0 && errors.length === 0 && counts('passed') === undefined)) return null;
  const totals = { passed: counts('passed'), failed: counts('failed'), skipped: counts('skipped') };
  return buildReport('ava', 'text', tests, { totals, errors });
}
