import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where the server's bearer token came from. */
export interface ServerToken {
  value: string;
  source: 'RALEX_TOKEN' | 'generated' | 'state file';
}

/**
 * The bearer token: RALEX_TOKEN when set, else the one generated once into
 * `.ralex/state/token` (mode 0600) and reused on every start.
 */
export function loadOrCreateToken(tokenFile: string, fromEnv?: string): ServerToken {
  if (fromEnv) return { value: fromEnv, source: 'RALEX_TOKEN' };
  if (existsSync(tokenFile)) {
    const stored = readFileSync(tokenFile, 'utf8').trim();
    if (stored.length >= 16) return { value: stored, source: 'state file' };
  }
  const value = `rx_${randomBytes(24).toString('base64url')}`;
  mkdirSync(dirname(tokenFile), { recursive: true });
  writeFileSync(tokenFile, `${value}\n`, { mode: 0o600 });
  return { value, source: 'generated' };
}

/** Compares a presented token with the expected one in constant time. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  // Compare against itself on a length mismatch so timing does not reveal the length.
  return a.length === b.length ? timingSafeEqual(a, b) : !timingSafeEqual(b, b);
}

/** Reads a bearer token from an Authorization header value. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
