import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../command/command-result.js';
import { spokenSummary } from './spoken-summary.js';

const check = (fields: Partial<CheckOutcome>): CheckOutcome => ({
  name: 'tests',
  command: 'npm test',
  ok: true,
  exitCode: 0,
  durationMs: 10,
  timedOut: false,
  output: '',
  sandboxed: true,
  network: false,
  tests: null,
  ...fields,
});

const result = (checks: CheckOutcome[], filesChanged = ['src/a.js']) => ({
  status: 'succeeded' as const,
  reply: 'Done.',
  checks,
  filesChanged,
  error: null,
});

describe('spokenSummary', () => {
  it('says a change is verified when tests that failed before still fail, rather than "the tests failed"', () => {
    const before = check({ name: 'tests (before)', ok: false, exitCode: 1 });
    const after = check({
      ok: false,
      exitCode: 1,
      verdict: { verified: true, summary: 'nothing new fails' },
    });
    expect(spokenSummary(result([before, after]))).toBe(
      'Changed 1 file. Verified: nothing that passed before fails now.',
    );
  });

  it('says so when the tests pass, and when they did not verify the change', () => {
    expect(spokenSummary(result([check({ verdict: { verified: true, summary: '' } })]))).toBe(
      'Changed 1 file. The tests passed.',
    );
    expect(
      spokenSummary(
        result([check({ ok: false, exitCode: 1, verdict: { verified: false, summary: '' } })], []),
      ),
    ).toBe('The tests did not verify it.');
  });

  it('reads a plain test run (no verdict) by its exit', () => {
    expect(spokenSummary(result([check({ ok: false, exitCode: 1 })], []))).toBe('The tests failed.');
  });
});
