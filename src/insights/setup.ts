import crypto from 'node:crypto';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { FeedbackLimiter } from './rate-limit';
import { createFeedbackLimiter } from './rate-limit';
import type { BatchedRecorder } from './recorder';
import { createBatchedRecorder } from './recorder';
import { openSqliteInsightStore } from './sqlite-store';
import type { InsightStore, PurgeResult } from './store';
import { dayOf } from './store';

const DAY_MS = 24 * 60 * 60_000;

/** What the feedback route needs. */
export interface FeedbackDependencies {
  store: Pick<InsightStore, 'addVote'>;
  limiter: FeedbackLimiter;
  now?: () => number;
}

export interface Insights {
  store: InsightStore;
  recorder: BatchedRecorder;
  feedback: FeedbackDependencies;
  /** Deletes what is past its retention period now, then once an hour. */
  startRetention(): void;
  /** Stops the retention job, writes the last counts and closes the store. */
  close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set, otherwise `insights.sqlite` next to the outbox in DATA_DIR. */
export async function openInsightStore(config: Config, logger?: Logger): Promise<InsightStore> {
  const { databaseUrl, dataDir } = config.contact;
  // PostgreSQL's client is loaded only when it is used.
  return databaseUrl
    ? (await import('./postgres-store')).openPostgresInsightStore(databaseUrl)
    : openSqliteInsightStore(dataDir, { logger });
}

/** Deletes comments and no-results queries older than the retention period, and finished rate windows. */
export function purgeExpired(store: Pick<InsightStore, 'purge'>, config: Config, now = Date.now()): Promise<PurgeResult> {
  const cutoff = now - config.feedback.retentionDays * DAY_MS;
  return store.purge({ commentsBefore: cutoff, queriesBeforeDay: dayOf(cutoff), windowsBefore: now - config.feedback.rateLimit.windowMs });
}

/** Opens the store and builds the recorder, the feedback rate limit and the retention job. */
export async function openInsights(config: Config, logger: Logger, options: { flushMs?: number } = {}): Promise<Insights> {
  const store = await openInsightStore(config, logger);
  const recorder = createBatchedRecorder({ store, logger, flushMs: options.flushMs });
  const limiter = createFeedbackLimiter({
    store,
    ...config.feedback.rateLimit,
    secret: config.contact.secret ?? crypto.randomBytes(32).toString('hex'),
  });
  let timer: NodeJS.Timeout | undefined;
  const purge = async (): Promise<void> => {
    try {
      const removed = await purgeExpired(store, config);
      if (removed.comments > 0 || removed.queries > 0) logger.info(removed, 'expired feedback comments and queries deleted');
    } catch (error) {
      logger.warn({ err: { message: (error as Error)?.message } }, 'could not delete expired feedback');
    }
  };
  return {
    store,
    recorder,
    feedback: { store, limiter },
    startRetention() {
      void purge();
      timer = setInterval(() => void purge(), 60 * 60_000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await recorder.close();
      await store.close();
    },
  };
}
