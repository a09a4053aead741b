import type { ParsedCommand } from '../../command/parsed-command.js';
import { type TestReport, testsWithStatus } from './test-report.js';

/** What a fix command names as its tests: test files it mentions and a test filter. */
export interface TestTargets {
  files: string[];
  filter: string | null;
}

const TEST_DIR = /(^|\/)(?:tests?|__tests__|specs?)\//;
const TEST_NAME =
  /(?:\.(?:test|spec)\.[cm]?[jt]sx?|(?:^|\/)test_[^/]+\.py|_test\.(?:py|go)|_(?:spec|test)\.rb|Tests?\.(?:java|kt|cs))$/;

/** Whether a project path is a test file by the usual conventions (`test/`, `*.test.js`, `test_*.py`, `*_test.go`, …). */
export function isTestFile(path: string): boolean {
  return TEST_DIR.test(path) || TEST_NAME.test(path);
}

/** Whether a command is a fix (verified by the tests it targets) rather than any other change. */
export function isFixCommand(parsed: Pick<ParsedCommand, 'intent' | 'request'>): boolean {
  return parsed.intent === 'fix_bug' || (parsed.intent === 'test' && /\bfix/i.test(parsed.request));
}

/** The tests a command names: its test files, and `args.filter`. */
export function targetsOf(parsed: Pick<ParsedCommand, 'files' | 'args'>): TestTargets {
  return { files: parsed.files.filter(isTestFile), filter: parsed.args.filter?.trim() || null };
}

/**
 * The test ids a fix must make pass: those of the named test files and the filter, found in
 * either report; when none is named or none is found, the tests failing at the baseline.
 * `named` says whether the ids come from what the command named.
 */
export function resolveTargets(
  targets: TestTargets,
  baseline: TestReport | null,
  after: TestReport,
): { ids: string[]; named: boolean } {
  const ids = new Set<string>();
  for (const report of [after, baseline]) {
    if (!report) continue;
    for (const id of Object.keys(report.tests)) {
      const file = report.files[id];
      if (targets.files.some((target) => belongsTo(id, file, target))) ids.add(id);
      if (targets.filter && id.toLowerCase().includes(targets.filter.toLowerCase())) ids.add(id);
    }
  }
  if (ids.size) return { ids: [...ids], named: true };
  return { ids: baseline ? testsWithStatus(baseline, 'failed') : [], named: false };
}

/** Whether a test (by its id and, where known, its file or module) belongs to a project test file. */
function belongsTo(id: string, file: string | undefined, target: string): boolean {
  const noExt = target.replace(/\.[^./]+$/, '');
  const dotted = noExt.replace(/\//g, '.');
  if (file) {
    const f = file.replace(/\\/g, '/');
    return (
      f === target || f.endsWith(`/${target}`) || f === noExt || f === dotted || f.startsWith(`${dotted}.`)
    );
  }
  return id.includes(target) || id.includes(dotted);
}
