import { z } from 'zod';
import { buildReport, type ParsedTest, type TestReport } from '../test-report.js';

/** The part of jest's `--json` report Ralex reads. */
const JestJsonSchema = z.object({
  numTotalTests: z.number(),
  testResults: z.array(
    z.object({
      name: z.string(),
      message: z.string().optional(),
      status: z.string().optional(),
      assertionResults: z.array(
        z.object({
          ancestorTitles: z.array(z.string()).default([]),
          title: z.string(),
          status: z.string(),
        }),
      ),
    }),
  ),
});

/**
 * Jest's `--json --outputFile` report: each assertion result as `describe > title` with its
 * file; `pending`, `todo` and `disabled` are skipped; a test file that failed with no test
 * results (it did not load) is an error. Null when the text is not that report.
 */
export function parseJestJson(json: string, root?: string): TestReport | null {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = JestJsonSchema.safeParse(data);
  if (!parsed.success) return null;
  const tests: ParsedTest[] = [];
  const errors: string[] = [];
  for (const file of parsed.data.testResults) {
    const path = root && file.name.startsWith(`${root}/`) ? file.name.slice(root.length + 1) : file.name;
    if (file.assertionResults.length === 0 && file.status === 'failed') {
      errors.push(`${path} failed to run: ${firstLine(file.message ?? '')}`);
      continue;
    }
    for (const a of file.assertionResults) {
      const status = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
      tests.push({ name: [...a.ancestorTitles, a.title].join(' > '), status, file: path });
    }
  }
  return buildReport('jest-json', 'machine', tests, { errors });
}

function firstLine(text: string): string {
  const line = text
    .split('\n')
    .map((l) => l.replace(/^\s*●\s*/, '').trim())
    .find((l) => l && !/^Test suite failed to run$/i.test(l));
  return line ?? 'the test file did not load';
}
