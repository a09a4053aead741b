import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const RESULT = /^(\s*)--- (PASS|FAIL|SKIP): (\S+) \(/;
const PACKAGE = /^(ok|FAIL|\?)\s+(\S+)\s+(?:[\d.]+s|\(cached\)|\[([^\]]+)\])/;

/**
 * `go test` without -json (as run by a Makefile or a script): `--- FAIL: TestX` lines (and
 * `--- PASS`/`--- SKIP` with -v), subtests `TestX/y` with their parents left out, packages
 * from the `ok pkg` / `FAIL pkg` lines. Without -v go names only failures, so the totals
 * count only what was printed. `[build failed]` is an error. Null without a package line.
 */
export function parseGoText(output: string): TestReport | null {
  const lines = output.split('\n');
  const results: { name: string; status: ParsedTest['status'] }[] = [];
  const errors: string[] = [];
  let packages = 0;
  let pending: { name: string; status: ParsedTest['status'] }[] = [];
  for (const line of lines) {
    const r = RESULT.exec(line);
    if (r) {
      const status = r[2] === 'PASS' ? 'passed' : r[2] === 'FAIL' ? 'failed' : 'skipped';
      pending.push({ name: r[3]!, status });
      continue;
    }
    const p = PACKAGE.exec(line.trim());
    if (!p) continue;
    packages++;
    if (p[3] && /failed/.test(p[3])) errors.push(`${p[2]}: ${p[3]}`);
    for (const t of pending) results.push({ name: `${p[2]} ${t.name}`, status: t.status });
    pending = [];
  }
  if (packages === 0) return null;
  const tests = results
    .filter((r) => !results.some((o) => o.name.startsWith(`${r.name}/`)))
    .map((r): ParsedTest => ({ ...r, file: r.name.split(' ')[0]! }));
  return buildReport('go', 'text', tests, { errors });
}
