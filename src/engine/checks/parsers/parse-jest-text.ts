import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const FILE = /^(PASS|FAIL)\s+(\S.*?)(?:\s+\(\d.*\))?$/;
const RESULT = /^(\s+)([✓✕○√×✎])\s+(?:(skipped|todo)\s+)?(.+?)(?:\s+\(\d+ m?s\))?$/;
const FAILURE_HEADER = /^\s+● (.+)$/;
const SUMMARY = /^Tests:\s+(.+?),?\s*(\d+) total$/m;

/**
 * Jest's default reporter: `PASS`/`FAIL file` headers, per-test `✓`/`✕`/`○ skipped` lines
 * (printed for a single file or with --verbose) under describe titles, `● describe › title`
 * failure headers (always printed), and the `Tests: … N total` line for totals.
 * `● Test suite failed to run` is an error of that file. Null without the `Tests:` line.
 */
export function parseJestText(output: string): TestReport | null {
  const summary = SUMMARY.exec(output);
  if (!summary) return null;
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(summary[1]!)?.[1] ?? 0);
  const found = new Map<string, ParsedTest>();
  const errors: string[] = [];
  const describes: { indent: number; name: string }[] = [];
  let file: string | undefined;
  for (const line of output.split('\n')) {
    const header = FILE.exec(line);
    if (header) {
      file = header[2]!.trim();
      describes.length = 0;
      continue;
    }
    const failure = FAILURE_HEADER.exec(line);
    if (failure) {
      const title = failure[1]!.trim();
      if (/^Test suite failed to run$/.test(title)) errors.push(`${file ?? 'a test file'} failed to run`);
      else {
        const name = title.split(' › ').join(' > ');
        found.set(`${file} ${name}`, { name, status: 'failed', ...(file ? { file } : {}) });
      }
      continue;
    }
    const result = RESULT.exec(line);
    const indent = (result?.[1] ?? /^(\s+)\S/.exec(line)?.[1])?.length;
    if (!file || indent === undefined) continue;
    while (describes.length && describes.at(-1)!.indent >= indent) describes.pop();
    if (!result) {
      if (/^\s{2,}\S/.test(line) && !/^\s+(?:at |\d+ \||>|\||Expected|Received)/.test(line))
        describes.push({ indent, name: line.trim() });
      continue;
    }
    const name = [...describes.map((d) => d.name), result[4]!.trim()].join(' > ');
    const status =
      result[3] || result[2] === '○'
        ? 'skipped'
        : result[2] === '✕' || result[2] === '×'
          ? 'failed'
          : 'passed';
    const key = `${file} ${name}`;
    if (!found.has(key) || status === 'failed') found.set(key, { name, status, file });
  }
  const totals = {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped') + count('todo'),
  };
  return buildReport('jest', 'text', [...found.values()], { totals, errors });
}
