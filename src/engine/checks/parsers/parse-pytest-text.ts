import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const SUMMARY =
  /^=*\s*((?:\d+ (?:failed|passed|skipped|deselected|xfailed|xpassed|errors?|warnings?)(?:, )?)+|no tests ran)\b.* in [\d.]+s(?: \([\d:]+\))?\s*=*$/m;
const SHORT = /^(FAILED|ERROR|PASSED|SKIPPED|XFAIL|XPASS) (\S+?)(?: - .*)?$/;
const VERBOSE = /^(\S+::\S+) (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)\b/;

/**
 * pytest's terminal output (-q, default or -v): tests named by the short summary
 * (`FAILED path::test - …`, shown by default) and by -v lines; totals from the final
 * `2 failed, 3 passed, 1 skipped in 0.5s` line. `ERROR path` without `::` (a collection
 * error) and errors in fixtures count as errors. Null without that final line.
 */
export function parsePytestText(output: string): TestReport | null {
  const summary = SUMMARY.exec(output);
  if (!summary) return null;
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(summary[1]!)?.[1] ?? 0);
  const found = new Map<string, ParsedTest>();
  const errors: string[] = [];
  for (const line of output.split('\n')) {
    const verbose = VERBOSE.exec(line);
    const short = verbose ? null : SHORT.exec(line);
    const [id, word] = verbose ? [verbose[1]!, verbose[2]!] : short ? [short[2]!, short[1]!] : [null, null];
    if (!id || !word) continue;
    if (word === 'ERROR') {
      if (!errors.includes(`${id}: error`)) errors.push(`${id}: error`);
      continue;
    }
    const status =
      word === 'PASSED' || word === 'XFAIL'
        ? 'passed'
        : word === 'FAILED' || word === 'XPASS'
          ? 'failed'
          : 'skipped';
    found.set(id, { name: id, status, file: id.split('::')[0]! });
  }
  if (/^!+ Interrupted: .* during collection !+$/m.test(output) && errors.length === 0)
    errors.push('collection was interrupted');
  const totals = {
    passed: count('passed') + count('xfailed'),
    failed: count('failed') + count('xpassed'),
    skipped: count('skipped'),
  };
  return buildReport('pytest', 'text', [...found.values()], { totals, errors });
}
