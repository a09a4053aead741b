/**
 * Durations are counted in logarithmic buckets, four per doubling (each about 19% wide), so a
 * percentile read back from the counts is within about 10% of the true one — the way Prometheus
 * histograms trade exactness for sums that add up across hours, days and processes.
 */

/** Buckets per doubling of the duration. */
const PER_DOUBLING = 4;

/** The bucket of a duration in milliseconds (bucket 0 holds everything up to 1 ms). */
export function latencyBucket(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.ceil(Math.log2(ms) * PER_DOUBLING);
}

/** The upper edge of a bucket, in milliseconds. */
export function bucketUpperMs(bucket: number): number {
  return bucket <= 0 ? 1 : 2 ** (bucket / PER_DOUBLING);
}

/** The value a bucket stands for: the geometric middle of its edges. */
function bucketMiddleMs(bucket: number): number {
  if (bucket <= 0) return 0.5;
  return 2 ** ((bucket - 0.5) / PER_DOUBLING);
}

/** The q-quantile (0..1) of counts by bucket; null when there are none. */
export function quantileOf(counts: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return Math.round(bucketMiddleMs(bucket) * 10) / 10;
  }
  return null;
}
