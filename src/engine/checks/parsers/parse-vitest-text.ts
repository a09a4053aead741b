import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const FILE = /^ ([✓❯×↓]) (\S+?) \(\d+ tests?\b.*\)/;
const RESULT = /^ {3,}([✓×↓]) (.+?)(?: \d+m?s)?$/;
const FAIL = /^ FAIL {2}(\S+?) > (.+)$/;
const SUITE_FAIL = /^ FAIL {2}(\S+?) \[ (.+) \]$/;
const SUMMARY = /^\s+Tests {2}(.+)$/m;

/**
 * Vitest's default reporter: file lines (`✓`/`❯ file (N tests | …)`), the per-test lines it
 * prints under a failing file, `FAIL  file > describe > test` sections, and the
 * `Tests  2 failed | 3 passed | 1 skipped (6)` totals (`no tests` when nothing ran). A
 * `FAIL  file [ file ]` suite failure is an error of that file. Null without the totals line.
 */
export function parseVitestText(output: string): TestReport | null {
  const summary = SUMMARY.exec(output);
  if (!summary || !/(\d+ (passed|failed|skipped|todo)|no tests)/.test(summary[1]!)) return null;
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(summary[1]!)?.[1] ?? 0);
  const found = new Map<string, ParsedTest>();
  const errors: string[] = [];
  let file: string | undefined;
  for (const line of output.split('\n')) {
    const header = FILE.exec(line);
    if (header) {
      file = header[2];
      continue;
    }
    const suite = SUITE_FAIL.exec(line);
    if (suite) {
      errors.push(`${suite[1]} failed to run`);
      continue;
    }
    const fail = FAIL.exec(line);
    if (fail) {
      const name = fail[2]!.trim();
      found.set(`${fail[1]} ${name}`, { name, status: 'failed', file: fail[1]! });
      continue;
    }
    const result = RESULT.exec(line);
    if (!result || !file) continue;
    const name = result[2]!.trim();
    const status = result[1] === '✓' ? 'passed' : result[1] === '×' ? 'failed' : 'skipped';
    const key = `${file} ${name}`;
    if (!found.has(key)) found.set(key, { name, status, file });
  }
  const totals = {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped') + count('todo'),
  };
  return buildReport('vitest', 'text', [...found.values()], { totals, errors });
}
