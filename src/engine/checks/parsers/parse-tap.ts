import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

const RESULT = /^(\s*)(not ok|ok)\s+\d+\b(?:\s*-\s*)?(.*?)(?:\s+#\s*(SKIP|TODO)\b.*)?$/i;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const FILE_NAME = /^(?:\/|[A-Za-z]:\\|file:\/\/).*\.[cm]?[jt]sx?$/;

/**
 * TAP (node --test's reporter when stdout is not a terminal, tape, node-tap): every `ok` /
 * `not ok` line, nested subtests named `parent > child`, suites and parents of subtests left
 * out (their status only repeats their children's), `# SKIP`/`# TODO` as skipped. A test file
 * that failed as a whole (node --test names it by its path) is an error, not a test.
 * Null when the output has no TAP results.
 */
export function parseTap(output: string): TestReport | null {
  const lines = output.split('\n');
  if (!lines.some((line) => /^\s*(?:TAP version \d+|1\.\.\d+)\s*$/.test(line))) return null;
  const tests: ParsedTest[] = [];
  const errors: string[] = [];
  const names: { indent: number; name: string }[] = [];
  /** Indents at which a result was seen since the last result at a shallower indent. */
  const childResults = new Set<number>();
  let sawResult = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      const indent = subtest[1]!.length;
      while (names.length && names.at(-1)!.indent >= indent) names.pop();
      names.push({ indent, name: subtest[2]!.trim() });
      continue;
    }
    const result = RESULT.exec(line);
    if (!result) continue;
    sawResult = true;
    const indent = result[1]!.length;
    const failed = result[2]!.toLowerCase() === 'not ok';
    const name = result[3]!.trim() || `test ${i + 1}`;
    const yaml = yamlBlock(lines, i + 1);
    const hadChildren = [...childResults].some((deeper) => deeper > indent);
    for (const deeper of [...childResults]) if (deeper > indent) childResults.delete(deeper);
    childResults.add(indent);
    while (names.length && names.at(-1)!.indent > indent) names.pop();
    const parents = names.filter((n) => n.indent < indent).map((n) => n.name);
    if (names.at(-1)?.indent === indent) names.pop();
    if (/^\s*type: '?suite'?/m.test(yaml) || hadChildren) {
      if (failed && !/failureType: '?subtestsFailed'?/.test(yaml) && !hadChildren)
        errors.push(`${[...parents, name].join(' > ')}: ${firstError(yaml)}`);
      continue;
    }
    if (failed && (FILE_NAME.test(name) || /^\s*exitCode: /m.test(yaml))) {
      errors.push(`${name} failed to run: ${firstError(yaml)}`);
      continue;
    }
    const skipped = result[4] !== undefined;
    tests.push({
      name: [...parents, name].join(' > '),
      status: skipped ? 'skipped' : failed ? 'failed' : 'passed',
    });
  }
  if (!sawResult && !/^1\.\.0\b/m.test(output)) return null;
  return buildReport('tap', 'machine', tests, { errors });
}

/** The indented YAML diagnostic block (`---` … `...`) right after a result line, or ''. */
function yamlBlock(lines: readonly string[], from: number): string {
  if (!/^\s*---\s*$/.test(lines[from] ?? '')) return '';
  const block: string[] = [];
  for (let i = from + 1; i < lines.length && !/^\s*\.\.\.\s*$/.test(lines[i]!); i++) block.push(lines[i]!);
  return block.join('\n');
}

function firstError(yaml: string): string {
  const match = /^\s*error: (?:\|-?\s*\n\s*)?'?(.+?)'?$/m.exec(yaml);
  return match?.[1]?.trim() ?? 'failed';
}
