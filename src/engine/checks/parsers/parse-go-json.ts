import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

interface GoEvent {
  Action?: string;
  Package?: string;
  Test?: string;
  Output?: string;
}

/**
 * `go test -json` output: one event per line; a test's pass/fail/skip is its last action;
 * a parent whose subtests ran (`TestX` of `TestX/y`) is left out; a package that failed with
 * no test failing in it, and build failures printed as text (`FAIL pkg [build failed]`), are
 * errors. Null when no line is a go test event (go 1.19 prints a build failure as text even
 * with -json: the text parser reads that).
 */
export function parseGoJson(output: string): TestReport | null {
  const results = new Map<string, { test: string; pkg: string; status: ParsedTest['status'] }>();
  const failedPackages = new Set<string>();
  const errors: string[] = [];
  let events = 0;
  for (const line of output.split('\n')) {
    const event = goEvent(line);
    if (!event) {
      const build = /^FAIL\s+(\S+)\s+\[(build failed|setup failed)\]/.exec(line.trim());
      if (build) errors.push(`${build[1]}: ${build[2]}`);
      continue;
    }
    events++;
    const status =
      event.Action === 'pass'
        ? 'passed'
        : event.Action === 'fail'
          ? 'failed'
          : event.Action === 'skip'
            ? 'skipped'
            : null;
    if (!status || !event.Package) continue;
    if (event.Test)
      results.set(`${event.Package} ${event.Test}`, { test: event.Test, pkg: event.Package, status });
    else if (status === 'failed') failedPackages.add(event.Package);
  }
  if (events === 0) return null;
  const all = [...results.values()];
  const tests = all
    .filter((r) => !all.some((other) => other.pkg === r.pkg && other.test.startsWith(`${r.test}/`)))
    .map((r): ParsedTest => ({ name: `${r.pkg} ${r.test}`, status: r.status, file: r.pkg }));
  for (const pkg of failedPackages) {
    const failedInside = tests.some((t) => t.file === pkg && t.status === 'failed');
    if (!failedInside && !errors.some((e) => e.startsWith(`${pkg}:`)))
      errors.push(`${pkg}: failed outside any test`);
  }
  return buildReport('go-json', 'machine', tests, { errors });
}

/** What `go test` would have printed without -json: the events' output, and any plain lines (build errors). */
export function goJsonText(output: string): string {
  return output
    .split('\n')
    .map((line) => {
      const event = goEvent(line);
      return event ? (event.Output ?? null) : `${line}\n`;
    })
    .filter((part): part is string => part !== null)
    .join('')
    .replace(/\n$/, '');
}

function goEvent(line: string): GoEvent | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === 'object' && 'Action' in value ? (value as GoEvent) : null;
  } catch {
    return null;
  }
}
