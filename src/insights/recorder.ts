import { normaliseCode } from '../content/reference-codes';
import type { Logger } from '../logger';
import type { InsightEvent, InsightRecorder } from './events';
import { redactPersonalData } from './redact';
import type { CountKind, CountRow, InsightStore } from './store';
import { dayOf } from './store';

/** The longest query kept, after redaction. */
export const QUERY_MAX = 100;

/**
 * The counter an event adds to, or undefined when there is nothing worth keeping. Queries are
 * redacted, then lower-cased with their spaces tidied, so "Close my  account" and "close my
 * account" are one row. Only well-formed codes (CID and 4 or 5 digits) are counted.
 */
export function counterFor(event: InsightEvent): { kind: CountKind; key: string } | undefined {
  if (event.kind === 'search-no-results') {
    const key = redactPersonalData(event.query.slice(0, 400)).toLowerCase().replace(/\s+/g, ' ').trim().slice(0, QUERY_MAX).trim();
    return key ? { kind: 'no-results', key } : undefined;
  }
  const code = normaliseCode(event.code);
  if (!code) return undefined;
  return event.kind === 'code-lookup' ? { kind: 'code-lookup', key: code } : { kind: `unknown-code/${event.via}`, key: code };
}

export interface BatchedRecorder extends InsightRecorder {
  /** Writes what has been counted so far. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
  /** Counters waiting to be written. */
  pending(): number;
}

export interface RecorderOptions {
  store: Pick<InsightStore, 'addCounts'>;
  logger?: Logger;
  /** How often counts are written; 0 for never on a timer (tests call flush). */
  flushMs?: number;
  /** Distinct counters held between writes; events for new counters beyond this are dropped. */
  maxPending?: number;
  now?: () => number;
}

/**
 * Counts events in memory and writes them in one batch every few seconds, so a request pays
 * for a map update, never for a database write. A crash loses at most one interval's counts.
 */
export function createBatchedRecorder(options: RecorderOptions): BatchedRecorder {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  const maxPending = options.maxPending ?? 10_000;
  let pending = new Map<string, CountRow>();
  // The UTC day, worked out again only when a day ends rather than on every event.
  let day = { name: '', until: 0 };
  const today = (): string => {
    const time = now();
    if (time >= day.until || time < day.until - 86_400_000) {
      const name = dayOf(time);
      day = { name, until: Date.parse(`${name}T00:00:00Z`) + 86_400_000 };
    }
    return day.name;
  };
  let dropped = 0;

  const add = (row: CountRow): void => {
    const id = `${row.kind}\u0000${row.key}\u0000${row.day}`;
    const existing = pending.get(id);
    if (existing) existing.count += row.count;
    else if (pending.size < maxPending) pending.set(id, row);
    else dropped += row.count;
  };

  const write = async (): Promise<void> => {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    try {
      await store.addCounts(batch);
    } catch (error) {
      // Keep the counts for the next try rather than lose them while the database is away.
      for (const row of batch) add(row);
      logger?.warn({ err: { message: (error as Error)?.message }, counters: batch.length }, 'could not write insight counts');
    }
    if (dropped > 0) {
      logger?.warn({ dropped }, 'insight counts dropped: too many distinct counters between writes');
      dropped = 0;
    }
  };

  // One write at a time: a flush asked for during a write runs after it. `write` never rejects.
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    writing = writing.then(write);
    return writing;
  };

  const timer = options.flushMs === 0 ? undefined : setInterval(() => void flush(), options.flushMs ?? 5_000);
  timer?.unref();

  return {
    record(event) {
      try {
        const counter = counterFor(event);
        if (counter) add({ kind: counter.kind, key: counter.key, day: today(), count: 1 });
      } catch {
        // Counting must never break the request that reported it.
      }
    },
    flush,
    async close() {
      if (timer) clearInterval(timer);
      await flush();
    },
    pending: () => pending.size,
  };
}
