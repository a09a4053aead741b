import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const RESULT = /^test (\S+)(?: - should panic)? \.\.\. (ok|FAILED|ignored(?:, .*)?)$/;
const TOTALS = /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored;/;
const RUNNING = /^\s+(?:Running(?: unittests)?|Doc-tests) (\S+)/;

/**
 * `cargo test` (stable cargo has no JSON test output): `test path ... ok|FAILED|ignored`
 * per test, named `target path` with the test binary's source from `Running …`; totals summed
 * over every `test result:` line. `error: could not compile` is an error. Null when neither
 * a `test result:` line nor a compile error is in the output.
 */
export function parseCargoText(output: string): TestReport | null {
  const tests: ParsedTest[] = [];
  const errors: string[] = [];
  const totals = { passed: 0, failed: 0, skipped: 0 };
  let target = '';
  let results = 0;
  for (const line of output.split('\n')) {
    const running = RUNNING.exec(line);
    if (running) {
      target = running[1]!;
      continue;
    }
    const r = RESULT.exec(line);
    if (r) {
      const status = r[2] === 'ok' ? 'passed' : r[2] === 'FAILED' ? 'failed' : 'skipped';
      tests.push({ name: `${target} ${r[1]}`.trim(), status, ...(target ? { file: target } : {}) });
      continue;
    }
    const t = TOTALS.exec(line);
    if (t) {
      results++;
      totals.passed += Number(t[1]);
      totals.failed += Number(t[2]);
      totals.skipped += Number(t[3]);
      continue;
    }
    const compile = /^error: could not compile `([^`]+)`/.exec(line);
    if (compile) errors.push(`could not compile ${compile[1]}`);
  }
  if (results === 0 && errors.length === 0) return null;
  return buildReport('cargo', 'text', tests, { totals, errors: [...new Set(errors)] });
}
