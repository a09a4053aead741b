import type { AuditFiles } from './audit-files.js';
import type { HeadFileRead, HeadMark } from './audit-head.js';
import type { AuditKeyRead } from './audit-key.js';
import type { ChainWalk } from './verify-audit-chain.js';

/** A head mark found in a markdown file, and whether its signature verifies. */
export interface FoundMark {
  file: string;
  mark: HeadMark;
  genuine: boolean;
}

/** Everything verification looked at. */
export interface AuditEvidence {
  files: AuditFiles;
  database: string;
  key: AuditKeyRead;
  head: HeadFileRead;
  tableExists: boolean;
  walk: ChainWalk;
  highWater: number;
  marks: FoundMark[];
}

/** "entry #3" or "entries #3 to #7". */
export const entryRange = (a: number, b: number) => (a === b ? `entry #${a}` : `entries #${a} to #${b}`);
/** The text with its first letter upper-cased, to start a sentence with `entryRange`. */
export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
