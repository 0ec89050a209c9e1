import type express from 'express';
import pino from 'pino';
import type { Config } from '../../src/config';
import { createApp } from '../../src/http/app';
import type { InsightEvent, InsightRecorder } from '../../src/insights/events';
import { createFeedbackLimiter } from '../../src/insights/rate-limit';
import { openSqliteInsightStore } from '../../src/insights/sqlite-store';
import type { InsightStore } from '../../src/insights/store';
import type { Startup } from '../../src/render/startup';
import { startUp } from '../../src/render/startup';
import { fixtureContent, testConfig } from '../helpers/app';
import { removeTempDir, tempDir as contactTempDir } from '../contact/helpers/contact-app';

/** A temp folder of its own (the contact tests' helper, with an insights- prefix). */
export function tempDir(prefix = 'insights-'): string {
  return contactTempDir(prefix);
}

export { removeTempDir };

export interface FeedbackTestApp {
  app: express.Express;
  store: InsightStore;
  events: InsightEvent[];
  config: Config;
  startup: Startup;
}

let shared: Startup | undefined;

/** The fixture site with a real SQLite insight store in `dataDir`, and a recorder that keeps every event. */
export function feedbackApp(dataDir: string, options: { rateLimit?: number; store?: InsightStore } = {}): FeedbackTestApp {
  const config = testConfig({}, { DATA_DIR: dataDir, FEEDBACK_RATE_LIMIT: String(options.rateLimit ?? 20) });
  shared ??= startUp({ ...config, contentDir: fixtureContent });
  const store = options.store ?? openSqliteInsightStore(dataDir);
  const events: InsightEvent[] = [];
  const insights: InsightRecorder = { record: (event) => events.push(event) };
  const limiter = createFeedbackLimiter({ store, ...config.feedback.rateLimit, secret: 'test secret' });
  const app = createApp({
    config,
    views: shared.views,
    assets: shared.assets,
    logger: pino({ level: 'silent' }),
    current: () => shared!.rendered,
    insights,
    feedback: { store, limiter },
  });
  return { app, store, events, config, startup: shared };
}

/** The fields a browser sends for a "No" on the phone guide, from the CID3006 section. */
export function noVote(extra: Record<string, string> = {}): Record<string, string> {
  return { page: '/guides/phone', section: 'expired-link-reference-cid3006', helpful: 'no', comment: '', website: '', ...extra };
}
