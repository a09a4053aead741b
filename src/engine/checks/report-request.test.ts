import { describe, expect, it } from 'vitest';
import { planReport } from './report-request.js';

const DIR = '/tmp/ralex-check-x';

describe('planReport asks the runner for a report without changing which tests run', () => {
  it.each([
    [
      'vitest run',
      undefined,
      'vitest run --reporter=default --reporter=junit --outputFile.junit=/tmp/ralex-check-x/vitest.xml',
      'junit',
    ],
    [
      'npx vitest',
      undefined,
      'npx vitest --reporter=default --reporter=junit --outputFile.junit=/tmp/ralex-check-x/vitest.xml',
      'junit',
    ],
    [
      'npm test',
      'vitest run --coverage',
      'npm test -- --reporter=default --reporter=junit --outputFile.junit=/tmp/ralex-check-x/vitest.xml',
      'junit',
    ],
    ['jest', undefined, 'jest --json --outputFile=/tmp/ralex-check-x/jest.json', 'jest-json'],
    ['npm test', 'jest --ci', 'npm test -- --json --outputFile=/tmp/ralex-check-x/jest.json', 'jest-json'],
  ])('%s (scripts.test %s) → %s', (command, script, expected, format) => {
    const plan = planReport(command, DIR, script);
    expect(plan.command).toBe(expected);
    expect(plan.file?.format).toBe(format);
    expect(plan.file?.path.startsWith(`${DIR}/`)).toBe(true);
  });

  it.each([
    ['npm test', 'node --test'],
    ['npm test', 'vitest run && eslint .'],
    ['npm test', 'vitest --reporter=verbose'],
    ['npm test', 'mocha'],
    ['make test', undefined],
    ['python3 -m pytest -q', undefined],
    ['yarn test', undefined],
    ['cargo test', undefined],
  ])('leaves %s (%s) as the project wrote it; pytest is asked through PYTEST_ADDOPTS', (command, script) => {
    const plan = planReport(command, DIR, script);
    expect(plan.command).toBe(command);
    expect(plan.env.PYTEST_ADDOPTS).toContain(`--junitxml=${DIR}/pytest.xml`);
    expect(plan.env.PYTHONDONTWRITEBYTECODE).toBe('1');
  });

  it('asks go test for -json and shows its events as go would have printed them', () => {
    expect(planReport('go test ./...', DIR)).toMatchObject({
      command: 'go test -json ./...',
      output: 'go-json',
      file: null,
    });
    expect(planReport('go test -json ./...', DIR).command).toBe('go test -json ./...');
  });
});
