import { createHmac, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { RalexError } from '../../errors.js';

/** The key's length: 32 random bytes, HMAC-SHA256's block-safe size. */
export const AUDIT_KEY_BYTES = 32;

/** What reading the key file found. The key itself never leaves this value: do not log it. */
export type AuditKeyRead =
  | {
      state: 'present';
      key: Buffer;
      id: string /** the mode it had, when group or others could read it */;
      looseMode?: number;
    }
  | { state: 'missing' }
  | { state: 'invalid'; problem: string };

/** A short public name for a key (an HMAC of a constant): tells two keys apart without revealing either. */
export function auditKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('ralex.audit.key-id').digest('hex').slice(0, 16);
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * Reads `.ralex/state/audit.key` without following a link. With `tighten`, a key that group
 * or others can read is set to 0600 (refused when that fails); without it the loose mode is
 * only reported, so `ralex audit verify` changes nothing.
 */
export function readAuditKey(file: string, options: { tighten: boolean }): AuditKeyRead {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: 'missing' };
    if (code === 'ELOOP')
      return { state: 'invalid', problem: `${file} is a symbolic link, not the key file` };
    return { state: 'invalid', problem: `${file} cannot be read: ${(error as Error).message}` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { state: 'invalid', problem: `${file} is not a regular file` };
    if (stat.size !== AUDIT_KEY_BYTES) {
      return {
        state: 'invalid',
        problem: `${file} holds ${stat.size} bytes instead of ${AUDIT_KEY_BYTES}: it was truncated or replaced`,
      };
    }
    let looseMode: number | undefined;
    if (stat.mode & 0o077) {
      if (!options.tighten) looseMode = stat.mode & 0o777;
      else {
        try {
          fchmodSync(fd, 0o600);
        } catch (error) {
          throw new RalexError(
            'forbidden',
            `The audit key ${file} is readable by others (mode ${octal(stat.mode)}) and Ralex cannot make it private: ${(error as Error).message}`,
            { hint: `Run \`chmod 600 ${file}\` as its owner, then start Ralex again.`, cause: error },
          );
        }
      }
    }
    const key = Buffer.alloc(AUDIT_KEY_BYTES);
    readSync(fd, key, 0, AUDIT_KEY_BYTES, 0);
    return { state: 'present', key, id: auditKeyId(key), ...(looseMode ? { looseMode } : {}) };
  } finally {
    closeSync(fd);
  }
}

/** The key Ralex appends with, and whether this call made it. */
export interface AuditKey {
  key: Buffer;
  id: string;
  created: boolean;
  /** The mode a key had before it was tightened to 0600. */
  tightenedFrom?: number;
}

/**
 * Loads the audit key, creating it once when absent: 32 random bytes written to a temporary
 * file opened with `wx` and mode 0600, then hard-linked into place, so the key appears whole
 * or not at all and two starts at once agree on one key. A key file that is a link, not a
 * file, or the wrong size is refused: a new key would hide that the old one was lost.
 */
export function loadOrCreateAuditKey(file: string): AuditKey {
  const refuse = (problem: string) =>
    new RalexError('internal_error', `The audit key cannot be used: ${problem}.`, {
      hint: `Restore ${file} from a backup of .ralex/state/, or move it aside to start a new key (\`ralex audit verify\` will then report that the old entries cannot be checked).`,
    });
  const loaded = (read: AuditKeyRead, created: boolean, before?: number): AuditKey => {
    if (read.state === 'invalid') throw refuse(read.problem);
    if (read.state === 'missing') throw refuse(`${file} disappeared while it was being read`);
    return { key: read.key, id: read.id, created, ...(before ? { tightenedFrom: before } : {}) };
  };
  const probe = readAuditKey(file, { tighten: false });
  if (probe.state === 'invalid') throw refuse(probe.problem);
  if (probe.state === 'present') return loaded(readAuditKey(file, { tighten: true }), false, probe.looseMode);

  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, randomBytes(AUDIT_KEY_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  let created = false;
  try {
    linkSync(temp, file);
    created = true;
  } catch (error) {
    // Another start made the key first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return loaded(readAuditKey(file, { tighten: true }), created);
}
