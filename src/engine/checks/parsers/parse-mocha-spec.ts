import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const PASSED = /^(\s*)[✔✓]\s+(.+?)(?:\s+\(\d+m?s\))?$/;
const FAILED = /^(\s*)\d+\)\s+(.+)$/;
const PENDING = /^(\s*)-\s+(.+)$/;
const SUITE = /^(\s*)(\S.*)$/;

/**
 * mocha's `spec` reporter (its default): `✔ title`, `N) title`, `- title` (pending) under
 * indented suite titles, names `suite > title`; totals from `N passing`, `N failing`,
 * `N pending`. An `Exception during run` (a file that did not load) is an error. Null when
 * neither the `N passing` summary nor that exception is in the output.
 */
export function parseMochaSpec(output: string): TestReport | null {
  const lines = output.split('\n');
  const crash = lines.find((l) => /^\s*Exception during run:/.test(l));
  const summaryAt = lines.findIndex((l) => /^\s+\d+ passing \(\d/.test(l));
  if (summaryAt < 0) return crash ? buildReport('mocha', 'text', [], { errors: [crash.trim()] }) : null;
  const tests: ParsedTest[] = [];
  const suites: { indent: number; name: string }[] = [];
  for (const line of lines.slice(0, summaryAt)) {
    const passed = PASSED.exec(line);
    const failed = passed ? null : FAILED.exec(line);
    const pending = passed || failed ? null : PENDING.exec(line);
    const hit = passed ?? failed ?? pending;
    const suite = hit ? null : SUITE.exec(line);
    const indent = (hit ?? suite)?.[1]?.length;
    if (indent === undefined) continue;
    while (suites.length && suites.at(-1)!.indent >= indent) suites.pop();
    if (suite) {
      suites.push({ indent, name: suite[2]!.trim() });
      continue;
    }
    const status = passed ? 'passed' : failed ? 'failed' : 'skipped';
    tests.push({ name: [...suites.map((s) => s.name), hit![2]!.trim()].join(' > '), status });
  }
  const count = (word: string) => {
    const m = lines
      .slice(summaryAt)
      .join('\n')
      .match(new RegExp(`^\\s+(\\d+) ${word}\\b`, 'm'));
    return m ? Number(m[1]) : 0;
  };
  const totals = { passed: count('passing'), failed: count('failing'), skipped: count('pending') };
  return buildReport('mocha', 'text', tests, { totals, errors: crash ? [crash.trim()] : [] });
}
