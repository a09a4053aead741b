import { parseAvaText } from './parsers/parse-ava-text.js';
import { parseCargoText } from './parsers/parse-cargo-text.js';
import { parseGoJson } from './parsers/parse-go-json.js';
import { parseGoText } from './parsers/parse-go-text.js';
import { parseJestJson } from './parsers/parse-jest-json.js';
import { parseJestText } from './parsers/parse-jest-text.js';
import { parseJunit } from './parsers/parse-junit.js';
import { parseMochaSpec } from './parsers/parse-mocha-spec.js';
import { parseNodeSpec } from './parsers/parse-node-spec.js';
import { parsePytestText } from './parsers/parse-pytest-text.js';
import { parseTap } from './parsers/parse-tap.js';
import { parseUnittestText } from './parsers/parse-unittest-text.js';
import { parseUvuText } from './parsers/parse-uvu-text.js';
import { parseVitestText } from './parsers/parse-vitest-text.js';
import type { TestReport } from './test-report.js';

/** A machine-readable report file a runner wrote, and its format. */
export interface ReportFile {
  format: 'junit' | 'jest-json';
  text: string;
}

/** Parsers of a runner's own output, most specific first; the first that recognises the output wins. */
const OUTPUT_PARSERS: readonly ((output: string) => TestReport | null)[] = [
  parseGoJson,
  parseTap,
  parsePytestText,
  parseUnittestText,
  parseJestText,
  parseVitestText,
  parseMochaSpec,
  parseNodeSpec,
  parseAvaText,
  parseUvuText,
  parseCargoText,
  parseGoText,
];

/**
 * Reads which tests ran and how from one check run: the machine-readable report file when the
 * runner wrote one, else the first parser that recognises the (ANSI-free) output. Null means
 * Ralex could not read the runner — which the verdict counts as a failure, never as a pass.
 */
export function readTestReport(input: {
  output: string;
  file?: ReportFile | null;
  root?: string;
}): TestReport | null {
  const { file } = input;
  if (file) {
    const fromFile = file.format === 'junit' ? parseJunit(file.text) : parseJestJson(file.text, input.root);
    if (fromFile) return fromFile;
  }
  for (const parse of OUTPUT_PARSERS) {
    const report = parse(input.output);
    if (report) return report;
  }
  return null;
}
