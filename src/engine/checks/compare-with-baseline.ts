import type { CheckOutcome } from '../../pipeline/command-result.js';
import { failingTests } from './failing-tests.js';

/** Whether a change keeps the checks as good as they were, and why. */
export interface CheckVerdict {
  ok: boolean;
  /** Tests failing now that passed before the change. */
  newFailures: string[];
  summary: string;
}

/**
 * Judges a check run after a change against the baseline taken before it: tests that already
 * failed do not count against the change; any new failure (or a timeout) does.
 */
export function compareWithBaseline(before: CheckOutcome | null, after: CheckOutcome): CheckVerdict {
  if (after.ok) return { ok: true, newFailures: [], summary: `${after.name} passed` };
  if (after.timedOut) return { ok: false, newFailures: [], summary: `${after.name} timed out` };
  const now = failingTests(after.output);
  if (!before || before.ok || before.timedOut) {
    return {
      ok: false,
      newFailures: [...now],
      summary: `${after.name} failed${now.size ? `: ${[...now].slice(0, 5).join(', ')}` : ''}`,
    };
  }
  const earlier = failingTests(before.output);
  if (now.size === 0 && earlier.size === 0) {
    const same = before.exitCode === after.exitCode;
    return {
      ok: same,
      newFailures: [],
      summary: same
        ? `${after.name} were already failing before the change (Ralex could not tell which tests)`
        : `${after.name} failed differently than before the change (exit ${before.exitCode} → ${after.exitCode})`,
    };
  }
  const added = [...now].filter((name) => !earlier.has(name));
  return added.length
    ? {
        ok: false,
        newFailures: added,
        summary: `${after.name}: new failures ${added.slice(0, 5).join(', ')}`,
      }
    : {
        ok: true,
        newFailures: [],
        summary: `${after.name}: only tests that already failed before the change still fail (${now.size})`,
      };
}
