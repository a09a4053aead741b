/** A token bucket per key: up to `limit` hits at once, refilled at `limit` per `windowMs`. */
export interface RateLimiter {
  /** Records a hit; returns 0 when allowed, else the seconds until the next hit is allowed. */
  hit(key: string): number;
}

/**
 * Creates a rate limiter with O(1) work per hit (a token bucket per key); `now` is injectable
 * for tests. Memory is bounded: full buckets are forgotten.
 */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const perMs = options.limit / options.windowMs;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    hit(key) {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: options.limit, at: t };
      bucket.tokens = Math.min(options.limit, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      if (bucket.tokens < 1) {
        buckets.set(key, bucket);
        return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      }
      bucket.tokens -= 1;
      buckets.set(key, bucket);
      if (buckets.size > 10_000) {
        for (const [k, b] of buckets) if (b.tokens + (t - b.at) * perMs >= options.limit) buckets.delete(k);
      }
      return 0;
    },
  };
}
