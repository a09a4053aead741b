import { join } from 'node:path';
import type { ReportFile } from './read-test-report.js';

/** How one check run asks its runner for a machine-readable report, without changing which tests run. */
export interface ReportRequest {
  /** The command to run: the project's own, with reporter flags appended when Ralex asks through them. */
  command: string;
  /** Variables that ask for a report (pytest reads `PYTEST_ADDOPTS`) or keep checks from writing into the project. */
  env: Record<string, string>;
  /** The report file the runner is asked to write, and its format; null when it is not asked for one. */
  file: { path: string; format: ReportFile['format'] } | null;
  /** `go-json`: the output is `go test -json` events, shown to people as the text go would have printed. */
  output: 'text' | 'go-json';
  /** How the report was asked for, for the check's record ("vitest --reporter=junit"). */
  how: string | null;
}

/** A single command: no lists, pipes, redirections, substitutions or line breaks. */
const SIMPLE = /^[^&|;`$<>()\n\\]+$/;
const VITEST = /^(?:npx\s+)?vitest(?:\s+(?:run|related))?(?:\s|$)/;
const JEST = /^(?:npx\s+)?jest(?:\s|$)/;
const GO_TEST = /^go\s+test(?:\s|$)/;

/**
 * Decides how to ask the runner behind a check for a report, in a private folder `dir` outside
 * the project: pytest through `PYTEST_ADDOPTS=--junitxml=…` (whatever runs it); vitest
 * (`--reporter=junit`), jest (`--json --outputFile`) and go (`-json`) through flags appended
 * when the check is that one runner invoked directly, or `npm test` whose script is exactly
 * that. node --test already prints TAP when its output is not a terminal; mocha's xunit would
 * replace the output people read, so mocha, and every other runner, is read from its text.
 * `npmTestScript` is package.json's `scripts.test`, when the command is `npm test`.
 */
export function planReport(command: string, dir: string, npmTestScript?: string): ReportRequest {
  const env: Record<string, string> = {
    // Bytecode caches would land in the project and read as part of the agent's change.
    PYTHONDONTWRITEBYTECODE: '1',
    PYTEST_ADDOPTS: [process.env.PYTEST_ADDOPTS, `--junitxml=${join(dir, 'pytest.xml')}`]
      .filter(Boolean)
      .join(' '),
  };
  const pytest = { path: join(dir, 'pytest.xml'), format: 'junit' as const };
  const plain = {
    command,
    env,
    file: pytest,
    output: 'text' as const,
    how: 'pytest --junitxml (PYTEST_ADDOPTS)',
  };
  const trimmed = command.trim();
  const viaNpm = /^npm\s+(?:run\s+)?test$/.test(trimmed) && npmTestScript !== undefined;
  const runner = viaNpm ? npmTestScript!.trim() : trimmed;
  if (!SIMPLE.test(runner)) return plain;
  const append = (flags: string) => (viaNpm ? `${trimmed} -- ${flags}` : `${trimmed} ${flags}`);
  if (VITEST.test(runner) && !/--reporter|--outputFile/.test(runner)) {
    const path = join(dir, 'vitest.xml');
    return {
      command: append(`--reporter=default --reporter=junit --outputFile.junit=${path}`),
      env,
      file: { path, format: 'junit' },
      output: 'text',
      how: 'vitest --reporter=junit',
    };
  }
  if (JEST.test(runner) && !/--json|--outputFile/.test(runner)) {
    const path = join(dir, 'jest.json');
    return {
      command: append(`--json --outputFile=${path}`),
      env,
      file: { path, format: 'jest-json' },
      output: 'text',
      how: 'jest --json --outputFile',
    };
  }
  if (!viaNpm && GO_TEST.test(runner) && !/\s-json\b/.test(runner)) {
    return {
      command: trimmed.replace(GO_TEST, 'go test -json '),
      env,
      file: null,
      output: 'go-json',
      how: 'go test -json',
    };
  }
  return plain;
}
