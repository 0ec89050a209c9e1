/**
 * Counts accepted messages per client in a sliding window, in memory. Each replica counts its
 * own clients, which is enough to stop one browser or script flooding the outbox.
 */
export interface RateLimiter {
  /** Seconds until the client may send again, or 0 when it may send now. */
  retryAfter(client: string): number;
  record(client: string): void;
}

export function createRateLimiter(options: { max: number; windowMs: number; now?: () => number; maxClients?: number }): RateLimiter {
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 10_000;
  const hits = new Map<string, number[]>();

  const recent = (client: string): number[] => {
    const since = now() - options.windowMs;
    const times = (hits.get(client) ?? []).filter((time) => time > since);
    if (times.length === 0) hits.delete(client);
    else hits.set(client, times);
    return times;
  };

  return {
    retryAfter(client) {
      const times = recent(client);
      if (times.length < options.max) return 0;
      return Math.max(1, Math.ceil((times[times.length - options.max]! + options.windowMs - now()) / 1000));
    },
    record(client) {
      const times = recent(client);
      times.push(now());
      hits.delete(client);
      hits.set(client, times);
      // Forget the least recently seen clients rather than grow without bound.
      while (hits.size > maxClients) hits.delete(hits.keys().next().value as string);
    },
  };
}
