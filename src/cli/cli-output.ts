import { toRalexError } from '../errors.js';

/** Exit codes of the `ralex` command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, denied: 3, needsInput: 4, cancelled: 130 } as const;

/**
 * Prints an error the way the CLI always does — message and fix on stderr, or one JSON object
 * on stdout with `--json` — and sets the exit code.
 */
export function reportError(error: unknown, json: boolean, exitCode: number = EXIT.failed): void {
  const e = toRalexError(error);
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: e.toJSON() })}\n`);
  } else {
    process.stderr.write(`ralex: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
    if (e.code === 'internal_error' && process.env.RALEX_DEBUG) console.error(error);
  }
  process.exitCode = exitCode;
}

/** Wraps a command action so any error is reported cleanly instead of as a stack trace. */
export function action<A extends unknown[]>(
  run: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      const options = args.find((a) => typeof a === 'object' && a !== null && 'json' in (a as object)) as
        | { json?: boolean }
        | undefined;
      reportError(error, options?.json ?? false);
    }
  };
}
