/** A sliding-window counter: at most `limit` hits per `windowMs` for each key. */
export interface RateLimiter {
  /** Records a hit; returns 0 when allowed, else the seconds until the next hit is allowed. */
  hit(key: string): number;
  /** Seconds until `key` may hit again (0 when it may now), without recording a hit. */
  wait(key: string): number;
}

/** Creates a rate limiter; `now` is injectable for tests. Memory is bounded by forgetting idle keys. */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const hits = new Map<string, number[]>();
  const recent = (key: string, t: number) => {
    const list = (hits.get(key) ?? []).filter((at) => t - at < options.windowMs);
    if (list.length) hits.set(key, list);
    else hits.delete(key);
    return list;
  };
  const waitFor = (list: number[], t: number) =>
    list.length < options.limit ? 0 : Math.max(1, Math.ceil((list[0]! + options.windowMs - t) / 1000));
  return {
    hit(key) {
      const t = now();
      const list = recent(key, t);
      const wait = waitFor(list, t);
      if (wait) return wait;
      list.push(t);
      hits.set(key, list);
      if (hits.size > 10_000) hits.delete(hits.keys().next().value as string);
      return 0;
    },
    wait(key) {
      const t = now();
      return waitFor(recent(key, t), t);
    },
  };
}
