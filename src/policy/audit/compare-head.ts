import type { RecordedFinding } from './audit-findings.js';
import type { HeadFileRead } from './audit-head.js';

/** What the table says about the end of the chain. */
export interface TableEnd {
  /** Whether the table has a keyed segment (an epoch entry). */
  keyed: boolean;
  /** The trail id of its first epoch entry. */
  trail: string | null;
  tail: { seq: number; mac: string; ts: string } | null;
  /** The largest seq SQLite ever issued (AUTOINCREMENT's high-water mark). */
  highWater: number;
  /** The stored MAC of an entry, if the table has it. */
  macAt(seq: number): string | undefined;
}

/**
 * Compares the head file with the end of the table: a head file that was edited or deleted,
 * a table behind it (entries deleted from the end, or an older copy of the database), a table
 * from another trail, an entry that is not the one the head recorded. Used by `verify` and
 * when a trail is opened, so a discrepancy is recorded before the head file is rewritten.
 */
export function compareHeadWithTable(
  read: HeadFileRead,
  table: TableEnd,
  headFile: string,
  /** What the head is called in messages: the head file, or the head a running trail last wrote. */
  source = 'the head file',
): RecordedFinding[] {
  const tailSeq = table.tail?.seq ?? 0;
  const found: RecordedFinding[] = [];
  const cutFromEnd = (claimed: number, claimedTs: string | null): RecordedFinding => {
    const end = Math.max(claimed, table.highWater);
    const recorded = claimedTs ? ` (${source} records #${claimed} of ${claimedTs})` : '';
    return {
      code: 'truncated',
      message: `Entries #${tailSeq + 1} to #${end} were deleted from the end of the audit table${recorded}; the table now ends at #${tailSeq}.`,
      seq: tailSeq + 1,
      lastSeq: end,
    };
  };
  if (read.state === 'invalid') {
    found.push({
      code: 'head_edited',
      message: `The head file ${headFile} was edited or replaced: ${read.problem}. It no longer vouches for the end of the chain.`,
    });
  } else if (read.state === 'missing') {
    if (table.keyed) {
      found.push({
        code: 'head_missing',
        message: `The head file ${headFile} is missing although the trail is keyed (the table ends at #${tailSeq}): it was deleted, which hides entries cut from the end or an older copy of the database.`,
      });
    }
  } else {
    const { head } = read;
    if (!table.keyed && table.highWater >= head.seq && head.seq > tailSeq) {
      found.push(cutFromEnd(head.seq, head.ts));
    } else if (!table.keyed) {
      found.push({
        code: 'table_replaced',
        message: `The head file records entry #${head.seq} of a keyed trail, but the audit table holds no keyed entry (${tailSeq} entries): the table was replaced, or a copy of the database from before the trail was keyed was put back.`,
      });
    } else if (table.trail !== null && table.trail !== read.trail) {
      found.push({
        code: 'table_replaced',
        message: `The audit table holds trail ${table.trail}, but the head file belongs to trail ${read.trail}: the table (or the whole database) was replaced by one from elsewhere.`,
      });
    } else if (head.seq > tailSeq) {
      found.push(
        table.highWater > tailSeq
          ? cutFromEnd(head.seq, head.ts)
          : {
              code: 'older_copy',
              message: `The database is older than its head: the audit table ends at #${tailSeq}${table.tail ? ` (${table.tail.ts})` : ''} but ${source} records #${head.seq} (${head.ts}). An older copy of ralex.db was put back (or entries were cut from the end and SQLite's counter reset with them); entries #${tailSeq + 1} to #${head.seq} are gone.`,
              seq: tailSeq + 1,
              lastSeq: head.seq,
            },
      );
    } else {
      const mac = table.macAt(head.seq);
      if (mac !== undefined && mac !== head.mac) {
        found.push({
          code: 'head_mismatch',
          message: `Entry #${head.seq} is not the one ${source} records (${head.mac.slice(0, 16)}…, now ${mac.slice(0, 16)}…): the chain was rewritten at or before it.`,
          seq: head.seq,
        });
      }
    }
  }
  if (
    table.highWater > tailSeq &&
    !found.some((f) => f.code === 'truncated' || f.code === 'table_replaced')
  ) {
    found.push(cutFromEnd(table.highWater, null));
  }
  return found;
}
