import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';

/** The chain's last entry: what a copy kept outside the table is compared with. */
export const AuditHeadSchema = z.object({
  seq: z.number().int().positive(),
  /** The entry's MAC (its `hash` column), hex. */
  mac: z.string().regex(/^[0-9a-f]{64}$/),
  ts: z.string(),
});
/** The chain's last entry. */
export type AuditHead = z.infer<typeof AuditHeadSchema>;

const FORMAT = 'ralex-audit-head/1';

/** `.ralex/state/audit.head`: the head, the trail it belongs to, and a MAC over both. */
const HeadFileSchema = AuditHeadSchema.extend({
  format: z.literal(FORMAT),
  /** The trail's id, from its first epoch entry: a table from elsewhere has another. */
  trail: z.string().min(1),
  headMac: z.string().regex(/^[0-9a-f]{64}$/),
});

/** What the head file says, once read. */
export type HeadFileRead =
  | { state: 'missing' }
  | { state: 'invalid'; problem: string }
  /** `verified` is false when there was no key to check its MAC with. */
  | { state: 'present'; head: AuditHead; trail: string; verified: boolean };

const headMacOf = (key: Buffer, trail: string, head: AuditHead) =>
  createHmac('sha256', key)
    .update('ralex.audit.head.v1\n')
    .update(canonicalJson({ format: FORMAT, trail, seq: head.seq, mac: head.mac, ts: head.ts }))
    .digest('hex');

const sameHex = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/**
 * Writes the head atomically (a temporary file renamed over the old one, mode 0600). One small
 * write with no fsync, like the database's own `synchronous = NORMAL` commits.
 */
export function writeHeadFile(file: string, key: Buffer, trail: string, head: AuditHead): void {
  const text = `${JSON.stringify({ format: FORMAT, trail, ...head, headMac: headMacOf(key, trail, head) })}\n`;
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}

/** Reads and checks the head file; with no key it is parsed but cannot be trusted. */
export function readHeadFile(file: string, key: Buffer | null): HeadFileRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'invalid', problem: `it cannot be read: ${(error as Error).message}` };
  }
  let parsed: z.infer<typeof HeadFileSchema>;
  try {
    parsed = HeadFileSchema.parse(JSON.parse(text));
  } catch {
    return { state: 'invalid', problem: 'it is not a head file Ralex wrote (its fields are wrong)' };
  }
  const head = { seq: parsed.seq, mac: parsed.mac, ts: parsed.ts };
  if (key && !sameHex(headMacOf(key, parsed.trail, head), parsed.headMac)) {
    return {
      state: 'invalid',
      problem: `its MAC does not verify with the key (it claims entry #${head.seq})`,
    };
  }
  return { state: 'present', head, trail: parsed.trail, verified: key !== null };
}

/** One head as recorded in markdown (a session log or the security summary). */
export interface HeadMark {
  seq: number;
  /** The first 16 hex digits of the entry's MAC. */
  prefix: string;
  /** A MAC over seq and prefix, so a line the model put in a reply is not taken for Ralex's. */
  sig: string;
}

const markSigOf = (key: Buffer, seq: number, prefix: string) =>
  createHmac('sha256', key).update(`ralex.audit.mark.v1\n${seq}:${prefix}`).digest('hex').slice(0, 16);

/** The line that records a head in markdown: `audit: #123 3f9a0b1c2d3e4f56… mark 9c1d…`. */
export function headMark(key: Buffer, head: Pick<AuditHead, 'seq' | 'mac'>): string {
  const prefix = head.mac.slice(0, 16);
  return `audit: #${head.seq} ${prefix}… mark ${markSigOf(key, head.seq, prefix)}`;
}

const MARK = /audit: #(\d{1,15}) ([0-9a-f]{16})… mark ([0-9a-f]{16})/g;

/** Every head mark in a text, genuine or not. */
export function findHeadMarks(text: string): HeadMark[] {
  return [...text.matchAll(MARK)].map((m) => ({ seq: Number(m[1]), prefix: m[2] ?? '', sig: m[3] ?? '' }));
}

/** Whether Ralex wrote this mark with this key. */
export function markIsGenuine(key: Buffer, mark: HeadMark): boolean {
  return sameHex(markSigOf(key, mark.seq, mark.prefix), mark.sig);
}
