import fs from 'node:fs';
import path from 'node:path';
import { openPostgresInsightStore } from '../../src/insights/postgres-store';
import { createFeedbackLimiter } from '../../src/insights/rate-limit';
import { createBatchedRecorder } from '../../src/insights/recorder';
import { purgeExpired } from '../../src/insights/setup';
import { INSIGHTS_SQLITE_FILE, openSqliteInsightStore } from '../../src/insights/sqlite-store';
import type { InsightStore } from '../../src/insights/store';
import type { TestDatabase } from '../contact/helpers/postgres';
import { createTestDatabase, describePostgres } from '../contact/helpers/postgres';
import { testConfig } from '../helpers/app';
import { removeTempDir, tempDir } from './insights-helpers';

const DAY_MS = 24 * 60 * 60_000;
const NOW = Date.parse('2025-06-30T12:00:00Z');

/** The same behaviour from both databases. */
function behavesAsAStore(open: () => Promise<InsightStore>): void {
  let store: InsightStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('adds counts to the same counter atomically', async () => {
    await store.addCounts([
      { kind: 'code-lookup', key: 'CID3006', day: '2025-06-30', count: 2 },
      { kind: 'code-lookup', key: 'CID3006', day: '2025-06-30', count: 3 },
    ]);
    await store.addCounts([{ kind: 'code-lookup', key: 'CID3006', day: '2025-06-29', count: 1 }]);
    expect(await store.countTotals('2025-06-30')).toEqual([{ kind: 'code-lookup', key: 'CID3006', count: 5 }]);
    expect(await store.countTotals('2025-06-01')).toEqual([{ kind: 'code-lookup', key: 'CID3006', count: 6 }]);
  });

  it('deletes comments after FEEDBACK_RETENTION_DAYS and keeps their votes', async () => {
    const config = testConfig({}, { FEEDBACK_RETENTION_DAYS: '180' });
    await store.addVote({ page: '/a', section: '', helpful: 'no', comment: 'old', createdAt: NOW - 181 * DAY_MS });
    await store.addVote({ page: '/a', section: '', helpful: 'no', comment: 'recent', createdAt: NOW - 179 * DAY_MS });
    await store.addCounts([
      { kind: 'no-results', key: 'old query', day: '2024-12-01', count: 1 },
      { kind: 'no-results', key: 'recent query', day: '2025-06-01', count: 1 },
      { kind: 'code-lookup', key: 'CID3006', day: '2024-12-01', count: 1 },
    ]);
    expect(await purgeExpired(store, config, NOW)).toEqual({ comments: 1, queries: 1 });
    expect((await store.comments(0, 10)).map((row) => row.comment)).toEqual(['recent']);
    expect(await store.voteTotals(0)).toEqual([{ page: '/a', section: '', yes: 0, no: 2 }]);
    const kept = (await store.countTotals('2000-01-01')).map((row) => row.key).sort();
    expect(kept).toEqual(['CID3006', 'recent query']);
  });

  it('counts rate-limit hits per window and forgets finished windows', async () => {
    expect(await store.hit('k', 1000)).toBe(1);
    expect(await store.hit('k', 1000)).toBe(2);
    expect(await store.hit('k', 2000)).toBe(1);
    await store.purge({ commentsBefore: 0, queriesBeforeDay: '2000-01-01', windowsBefore: 2000 });
    expect(await store.hit('k', 1000)).toBe(1);
  });

  it('lists the newest comments first', async () => {
    await store.addVote({ page: '/a', section: 's', helpful: 'no', comment: 'first', createdAt: NOW - 2 });
    await store.addVote({ page: '/a', section: 's', helpful: 'no', comment: 'second', createdAt: NOW - 1 });
    await store.addVote({ page: '/a', section: 's', helpful: 'yes', createdAt: NOW });
    expect((await store.comments(0, 10)).map((row) => row.comment)).toEqual(['second', 'first']);
    expect(await store.voteTotals(NOW - 1)).toEqual([{ page: '/a', section: 's', yes: 1, no: 1 }]);
  });
}

describe('the SQLite insight store', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeTempDir(dir));
  behavesAsAStore(async () => openSqliteInsightStore(dir));

  it('makes its file again when DATA_DIR is removed, with the votes, counts and rate windows it held', async () => {
    const store = openSqliteInsightStore(dir);
    try {
      await store.addVote({ page: '/manage', section: '', helpful: 'no', comment: 'before', createdAt: NOW });
      await store.addCounts([{ kind: 'code-lookup', key: 'CID3006', day: '2025-06-30', count: 2 }]);
      await store.hit('client', NOW);
      fs.rmSync(dir, { recursive: true, force: true });
      await store.addVote({ page: '/manage', section: '', helpful: 'yes', createdAt: NOW });
      await store.addCounts([{ kind: 'code-lookup', key: 'CID3006', day: '2025-06-30', count: 1 }]);
      expect(await store.hit('client', NOW)).toBe(2);
      expect(fs.statSync(path.join(dir, INSIGHTS_SQLITE_FILE)).mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
    }
    // What a restart would open.
    const reopened = openSqliteInsightStore(dir);
    try {
      expect(await reopened.voteTotals(0)).toEqual([{ page: '/manage', section: '', yes: 1, no: 1 }]);
      expect((await reopened.comments(0, 10)).map((c) => c.comment)).toEqual(['before']);
      expect(await reopened.countTotals('2025-01-01')).toEqual([{ kind: 'code-lookup', key: 'CID3006', count: 3 }]);
      expect(await reopened.hit('client', NOW)).toBe(3);
    } finally {
      await reopened.close();
    }
  });
});

describePostgres('the PostgreSQL insight store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  let cleaned: InsightStore | undefined;
  beforeEach(async () => {
    // Each test starts from empty tables.
    cleaned = await openPostgresInsightStore(db.url);
    await cleaned.purge({
      commentsBefore: Number.MAX_SAFE_INTEGER,
      queriesBeforeDay: '9999-12-31',
      windowsBefore: Number.MAX_SAFE_INTEGER,
    });
    await cleaned.close();
  });

  behavesAsAStore(() => openPostgresInsightStore(db.url));
});

describePostgres('two replicas on one PostgreSQL insight store', () => {
  jest.setTimeout(120_000);
  let db: TestDatabase;
  let replicas: InsightStore[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    replicas = await Promise.all([openPostgresInsightStore(db.url), openPostgresInsightStore(db.url)]);
  });
  afterAll(async () => {
    for (const store of replicas) await store.close();
    await db?.drop();
  });

  it('counts every event exactly when both write the same counters at once', async () => {
    const EVENTS = 3000;
    const recorders = replicas.map((store) => createBatchedRecorder({ store, flushMs: 0, now: () => NOW }));
    const codes = ['CID3006', 'CID3007', 'CID9999'];
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < EVENTS; i += 1) {
      const recorder = recorders[i % 2]!;
      recorder.record({ kind: 'code-lookup', code: codes[i % 3]! });
      recorder.record({ kind: 'search-no-results', query: `query ${i % 7}` });
      // Both replicas write small batches over and over, touching the same rows at the same time.
      if (i % 50 === 49) flushes.push(recorder.flush());
    }
    await Promise.all([...flushes, ...recorders.map((recorder) => recorder.close())]);
    const totals = await replicas[0]!.countTotals('2025-06-30');
    const lookups = totals.filter((row) => row.kind === 'code-lookup');
    expect(lookups.reduce((sum, row) => sum + row.count, 0)).toBe(EVENTS);
    expect(lookups.find((row) => row.key === 'CID3006')!.count).toBe(EVENTS / 3);
    expect(totals.filter((row) => row.kind === 'no-results').reduce((sum, row) => sum + row.count, 0)).toBe(EVENTS);
  });

  it('stores votes from both, and holds the rate limit across them', async () => {
    const limiters = replicas.map((store) =>
      createFeedbackLimiter({ store, max: 10, windowMs: 600_000, secret: 'shared', now: () => NOW }),
    );
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 2]!.check('203.0.113.9')));
    expect(answers.filter((wait) => wait === 0)).toHaveLength(10);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        replicas[i % 2]!.addVote({ page: '/a', section: '', helpful: i % 4 === 0 ? 'no' : 'yes', createdAt: NOW }),
      ),
    );
    expect(await replicas[1]!.voteTotals(0)).toEqual([{ page: '/a', section: '', yes: 30, no: 10 }]);
  });
});
