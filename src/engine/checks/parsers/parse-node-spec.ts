import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const LINE = /^(\s*)(✔|✖|﹣|▶|#)\s+(.+?)(?:\s+\([\d.]+m?s\))?(\s+#\s*(?:SKIP|TODO)\b.*)?$/;
const SUMMARY = /^ℹ (tests|pass|fail|skipped|todo|cancelled) (\d+)$/;

/**
 * node --test's `spec` reporter: `✔`/`✖`/`﹣` lines, suites opened by `▶ name` and closed by a
 * result line of the same name and indent (left out), names `suite > test`. A test file that
 * failed as a whole (its path as the name) is an error. Null without the `ℹ tests N` summary.
 */
export function parseNodeSpec(output: string): TestReport | null {
  const lines = output.split('\n');
  if (!lines.some((l) => /^ℹ tests \d+$/.test(l.trim()))) return null;
  const tests: ParsedTest[] = [];
  const errors: string[] = [];
  const suites: { indent: number; name: string }[] = [];
  let summaryStarted = false;
  for (const line of lines) {
    if (SUMMARY.test(line.trim())) summaryStarted = true;
    if (summaryStarted) break; // the "failing tests:" list after the summary repeats earlier lines
    const m = LINE.exec(line);
    if (!m) continue;
    const [, space, mark, rawName, directive] = m;
    const indent = space!.length;
    const name = rawName!.trim();
    while (suites.length && suites.at(-1)!.indent > indent) suites.pop();
    if (mark === '▶') {
      suites.push({ indent, name });
      continue;
    }
    if (suites.at(-1)?.indent === indent && suites.at(-1)?.name === name) {
      suites.pop();
      continue;
    }
    if (mark === '#') continue;
    const full = [...suites.map((s) => s.name), name].join(' > ');
    if (mark === '✖' && /^(?:\/|file:\/\/).*\.[cm]?[jt]sx?$/.test(name)) {
      errors.push(`${name} failed to run`);
      continue;
    }
    const status = mark === '﹣' || directive ? 'skipped' : mark === '✖' ? 'failed' : 'passed';
    tests.push({ name: full, status });
  }
  return buildReport('node-spec', 'text', tests, { errors });
}
