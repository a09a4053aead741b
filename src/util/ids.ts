import { randomBytes } from 'node:crypto';

/** Makes a new id with a readable prefix, e.g. `cmd_k3j9x2m1q8a7`. Injectable where tests need determinism. */
export type IdGenerator = (prefix: string) => string;

/** The default id generator: prefix plus 12 random base-36 characters. */
export const generateId: IdGenerator = (prefix) => {
  const bytes = randomBytes(12);
  let s = '';
  for (const b of bytes) s += (b % 36).toString(36);
  return `${prefix}_${s}`;
};

/** A clock, injectable for deterministic tests. */
export type Clock = () => Date;

/** The real clock. */
export const systemClock: Clock = () => new Date();
