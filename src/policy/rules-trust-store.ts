import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { RalexError } from '../errors.js';

/** One project's trusted security rules: the SHA-256 of the file's bytes the user accepted. */
export const TrustedRulesSchema = z.object({
  /** The project root (realpath). */
  project: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  trustedAt: z.string(),
  /** The loosening entries shown when it was trusted, in words. */
  loosening: z.array(z.string()).default([]),
});
/** One trusted rules file. */
export type TrustedRules = z.infer<typeof TrustedRulesSchema>;

const TrustFileSchema = z.object({ version: z.literal(1), trusted: z.array(TrustedRulesSchema) });

/**
 * Where trust decisions are kept: `$XDG_STATE_HOME/ralex/trusted-rules.json` (default
 * `~/.local/state/ralex/`). Outside every project on purpose: a repository can carry its own
 * `.ralex/state/`, and a file it brings must never vouch for the rules it brings.
 */
export function defaultTrustFile(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME?.startsWith('/')
    ? env.XDG_STATE_HOME
    : join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'ralex', 'trusted-rules.json');
}

/** Everything trusted so far; a missing or unreadable file trusts nothing. */
export function readTrusted(file: string): TrustedRules[] {
  try {
    const parsed = TrustFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.trusted : [];
  } catch {
    return [];
  }
}

/** True when `sha256` is the trusted version of `project`'s rules. */
export function isTrusted(file: string, project: string, sha256: string): boolean {
  return readTrusted(file).some((t) => t.project === project && t.sha256 === sha256);
}

/**
 * Records `entry` as the one trusted version of its project's rules (an earlier version is no
 * longer trusted). Written to a temporary file and renamed, readable by the user only.
 */
export function recordTrust(file: string, entry: TrustedRules): void {
  const trusted = [...readTrusted(file).filter((t) => t.project !== entry.project), entry];
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, trusted }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (error) {
    throw new RalexError(
      'invalid_config',
      `Cannot record the trust decision in ${file}: ${(error as Error).message}`,
      {
        details: { file },
        hint: 'Make that directory writable, or set XDG_STATE_HOME to a directory you own.',
        cause: error,
      },
    );
  }
}
