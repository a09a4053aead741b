import type { AuditHead } from './audit-head.js';
import { writeHeadFile } from './audit-head.js';

/** How long appends are gathered before the head file is written (at most). */
export const HEAD_WRITE_DELAY_MS = 100;

/** Keeps the head file up to date without a file write on every append. */
export interface HeadWriter {
  /** Notes a committed entry; the head file gets it within `delayMs` (or at the next flush). */
  note(head: AuditHead): void;
  /** Writes the noted head now, if it is not written yet. */
  flush(): void;
}

/**
 * A head file written at most once per `delayMs` while appends come, and on `flush` (the end of
 * each command, closing). A temp file renamed over the head costs ~130 µs on ext4 (the rename
 * forces the new data out), several times an append itself, so appends in a burst share one
 * write. The trail also checks the table's tail on every append, so a cut made while Ralex runs
 * is caught before a lagging head could be written over it.
 */
export function createHeadWriter(
  file: string,
  key: Buffer,
  trail: string,
  delayMs = HEAD_WRITE_DELAY_MS,
): HeadWriter {
  let pending: AuditHead | null = null;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return;
    writeHeadFile(file, key, trail, pending);
    pending = null;
  };
  return {
    note(head) {
      pending = head;
      if (timer) return;
      timer = setTimeout(() => {
        try {
          flush();
        } catch {
          // Kept pending: the next flush (end of the command, close) writes it or throws.
        }
      }, delayMs);
      timer.unref();
    },
    flush,
  };
}
