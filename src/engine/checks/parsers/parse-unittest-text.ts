import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const RAN = /^Ran (\d+) tests? in [\d.]+s$/m;
const OUTCOME = /^(OK|FAILED)(?: \((.*)\))?$/m;
const SECTION = /^(FAIL|ERROR|UNEXPECTED SUCCESS): (\S+) \((.+?)\)/;
const VERBOSE = /^(\S+) \((.+?)\) \.\.\. (ok|FAIL|ERROR|skipped.*|expected failure|unexpected success)$/;

/**
 * Python unittest's output: `FAIL:`/`ERROR: test (module.Class.test)` sections name the
 * failing tests, `-v` lines name all; totals from `Ran N tests` and
 * `FAILED (failures=1, errors=1, skipped=1)` / `OK (skipped=1)`. A module that failed to
 * import (`unittest.loader._FailedTest`) is an error. Null without both lines.
 */
export function parseUnittestText(output: string): TestReport | null {
  const ran = RAN.exec(output);
  const outcome = OUTCOME.exec(output);
  if (!ran || !outcome) return null;
  const detail = (key: string) => Number(new RegExp(`${key}=(\\d+)`).exec(outcome[2] ?? '')?.[1] ?? 0);
  const found = new Map<string, ParsedTest>();
  const errors: string[] = [];
  const id = (method: string, where: string) => (where.endsWith(`.${method}`) ? where : `${where}.${method}`);
  for (const line of output.split('\n')) {
    const section = SECTION.exec(line);
    if (section) {
      if (section[3]!.startsWith('unittest.loader._Failed')) errors.push(`${section[2]} failed to load`);
      else
        found.set(id(section[2]!, section[3]!), {
          name: id(section[2]!, section[3]!),
          status: 'failed',
          file: module(section[3]!),
        });
      continue;
    }
    const verbose = VERBOSE.exec(line);
    if (!verbose || verbose[2]!.startsWith('unittest.loader._Failed')) continue;
    const name = id(verbose[1]!, verbose[2]!);
    const word = verbose[3]!;
    const status =
      word === 'ok' || word === 'expected failure'
        ? 'passed'
        : word.startsWith('skipped')
          ? 'skipped'
          : 'failed';
    if (!found.has(name) || status === 'failed') found.set(name, { name, status, file: module(verbose[2]!) });
  }
  const run = Number(ran[1]);
  const failed = detail('failures') + detail('errors') + detail('unexpected successes') - errors.length;
  const skipped = detail('skipped');
  const totals = {
    passed: Math.max(0, run - failed - skipped - errors.length),
    failed: Math.max(0, failed),
    skipped,
  };
  return buildReport('unittest', 'text', [...found.values()], { totals, errors });
}

/** `tests.test_calc.CalcTest.test_adds` → `tests.test_calc` (the module: lower-case parts). */
function module(where: string): string {
  const parts = where.split('.');
  const firstClass = parts.findIndex((p) => /^[A-Z]/.test(p));
  return (firstClass > 0 ? parts.slice(0, firstClass) : parts.slice(0, -1)).join('.') || where;
}
