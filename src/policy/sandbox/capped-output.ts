/** A byte sink that keeps the first and the last part of what it is given, within a cap. */
export interface CappedOutput {
  /** Adds a chunk. Memory stays bounded by the cap whatever the total. */
  push(chunk: Buffer): void;
  /** The kept text: head, a marker naming how many bytes were dropped, and tail. */
  text(): string;
  /** Bytes pushed in total. */
  readonly totalBytes: number;
}

/** The marker put where output was dropped. */
export const truncationMarker = (dropped: number): string => `\n[… ${dropped} bytes of output omitted …]\n`;

/**
 * Keeps up to `maxBytes`: the first half and the last half. A command that prints gigabytes
 * costs at most `maxBytes` of memory here; the head shows what started, the tail how it ended.
 */
export function createCappedOutput(maxBytes: number): CappedOutput {
  const headCap = Math.floor(maxBytes / 2);
  const tailCap = maxBytes - headCap;
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let total = 0;

  return {
    push(chunk) {
      total += chunk.length;
      let rest = chunk;
      if (headBytes < headCap) {
        const take = Math.min(headCap - headBytes, rest.length);
        head.push(rest.subarray(0, take));
        headBytes += take;
        rest = rest.subarray(take);
      }
      if (rest.length === 0) return;
      if (rest.length >= tailCap) {
        tail = [Buffer.from(rest.subarray(rest.length - tailCap))];
        tailBytes = tailCap;
        return;
      }
      tail.push(Buffer.from(rest));
      tailBytes += rest.length;
      while (tailBytes > tailCap) {
        const first = tail[0]!;
        const excess = tailBytes - tailCap;
        if (first.length <= excess) {
          tail.shift();
          tailBytes -= first.length;
        } else {
          tail[0] = first.subarray(excess);
          tailBytes -= excess;
        }
      }
    },
    text() {
      const dropped = total - headBytes - tailBytes;
      if (dropped === 0) return Buffer.concat([...head, ...tail]).toString('utf8');
      return (
        Buffer.concat(head).toString('utf8') +
        truncationMarker(dropped) +
        Buffer.concat(tail).toString('utf8')
      );
    },
    get totalBytes() {
      return total;
    },
  };
}
