import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { RalexError } from '../errors.js';

/** The file of a project's config that trust is recorded for when none is named. */
const RULES_FILE = '.ralex/config/security_rules.yaml';

/** One project's trusted config file (its security rules, or its preferences): the SHA-256 of the bytes the user accepted. */
export const TrustedRulesSchema = z.object({
  /** The project root (realpath). */
  project: z.string(),
  /** The file, relative to the project root. */
  file: z.string().default(RULES_FILE),
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

/** True when `sha256` is the trusted version of `project`'s `configFile` (its security rules by default). */
export function isTrusted(file: string, project: string, sha256: string, configFile = RULES_FILE): boolean {
  return readTrusted(file).some((t) => t.project === project && t.file === configFile && t.sha256 === sha256);
}

/**
 * Records `entry` as the one trusted version of its project's file (an earlier version is no
 * longer trusted). Written to a temporary file and renamed, readable by the user only.
 */
export function recordTrust(file: string, entry: z.input<typeof TrustedRulesSchema>): void {
  const record = TrustedRulesSchema.parse(entry);
  const trusted = [
    ...readTrusted(file).filter((t) => t.project !== record.project || t.file !== record.file),
    record,
  ];
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
