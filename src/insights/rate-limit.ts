import crypto from 'node:crypto';
import type { InsightStore } from './store';

export interface FeedbackLimiter {
  /** Counts this request; resolves with 0 when it may go ahead, or the seconds until the client may send again. */
  check(client: string): Promise<number>;
}

/**
 * A fixed-window limit kept in the insight store, so with PostgreSQL it holds across replicas.
 * The client's address is never written: the key is a keyed hash of it and the window, which
 * changes every window and is deleted with it. Replicas share a key only when they share
 * `secret` (CONTACT_SECRET).
 */
export function createFeedbackLimiter(options: {
  store: Pick<InsightStore, 'hit'>;
  max: number;
  windowMs: number;
  secret: string;
  now?: () => number;
}): FeedbackLimiter {
  const now = options.now ?? Date.now;
  return {
    async check(client) {
      const time = now();
      const windowStart = time - (time % options.windowMs);
      const key = crypto.createHmac('sha256', options.secret).update(`${windowStart}:${client}`).digest('base64url').slice(0, 22);
      const hits = await options.store.hit(key, windowStart);
      if (hits <= options.max) return 0;
      return Math.max(1, Math.ceil((windowStart + options.windowMs - time) / 1000));
    },
  };
}
