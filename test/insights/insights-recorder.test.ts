import { counterFor, createBatchedRecorder } from '../../src/insights/recorder';
import type { CountRow } from '../../src/insights/store';
import { mergeCounts } from '../../src/insights/store';
import { waitFor } from '../contact/helpers/wait';

const DAY = Date.parse('2025-03-14T10:00:00Z');

function fakeStore(options: { failures?: number } = {}) {
  let failures = options.failures ?? 0;
  const batches: CountRow[][] = [];
  return {
    batches,
    async addCounts(rows: CountRow[]) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('database away');
      }
      batches.push(rows.map((row) => ({ ...row })));
    },
  };
}

describe('counterFor', () => {
  it.each([
    [
      { kind: 'search-no-results', query: '  Close   my NHS Login ' },
      { kind: 'no-results', key: 'close my nhs login' },
    ],
    [
      { kind: 'search-no-results', query: 'locked out jo@example.com 07700 900123' },
      { kind: 'no-results', key: 'locked out [email] [phone number]' },
    ],
    [
      { kind: 'unknown-code', code: ' cid9999 ', via: 'cid' },
      { kind: 'unknown-code/cid', key: 'CID9999' },
    ],
    [
      { kind: 'unknown-code', code: '9999', via: 'search' },
      { kind: 'unknown-code/search', key: 'CID9999' },
    ],
    [
      { kind: 'code-lookup', code: '3006' },
      { kind: 'code-lookup', key: 'CID3006' },
    ],
  ] as const)('counts %j as %j', (event, expected) => {
    expect(counterFor(event)).toEqual(expected);
  });

  it.each([
    [{ kind: 'search-no-results', query: '   ' }],
    [{ kind: 'unknown-code', code: 'wp-admin.php', via: 'cid' }],
    [{ kind: 'code-lookup', code: '07700900123' }],
  ] as const)('keeps nothing for %j', (event) => {
    expect(counterFor(event)).toBeUndefined();
  });

  it('keeps at most 100 characters of a query', () => {
    expect(counterFor({ kind: 'search-no-results', query: 'word '.repeat(100) })!.key.length).toBeLessThanOrEqual(100);
  });
});

describe('the batched recorder', () => {
  it('writes nothing until it flushes, then one row per counter and day', async () => {
    const store = fakeStore();
    const recorder = createBatchedRecorder({ store, flushMs: 0, now: () => DAY });
    for (let i = 0; i < 5; i += 1) recorder.record({ kind: 'code-lookup', code: 'CID3006' });
    recorder.record({ kind: 'unknown-code', code: 'CID9999', via: 'cid' });
    expect(store.batches).toHaveLength(0);
    expect(recorder.pending()).toBe(2);
    await recorder.flush();
    expect(mergeCounts(store.batches.flat())).toEqual([
      { kind: 'code-lookup', key: 'CID3006', day: '2025-03-14', count: 5 },
      { kind: 'unknown-code/cid', key: 'CID9999', day: '2025-03-14', count: 1 },
    ]);
    expect(recorder.pending()).toBe(0);
  });

  it('keeps the counts when a write fails and writes them with the next', async () => {
    const store = fakeStore({ failures: 1 });
    const recorder = createBatchedRecorder({ store, flushMs: 0, now: () => DAY });
    recorder.record({ kind: 'code-lookup', code: 'CID3006' });
    await recorder.flush();
    expect(store.batches).toHaveLength(0);
    recorder.record({ kind: 'code-lookup', code: 'CID3006' });
    await recorder.flush();
    expect(store.batches).toEqual([[{ kind: 'code-lookup', key: 'CID3006', day: '2025-03-14', count: 2 }]]);
  });

  it('holds a bounded number of counters between writes', async () => {
    const store = fakeStore();
    const recorder = createBatchedRecorder({ store, flushMs: 0, maxPending: 3, now: () => DAY });
    for (let i = 0; i < 10; i += 1) recorder.record({ kind: 'search-no-results', query: `query ${i}` });
    recorder.record({ kind: 'search-no-results', query: 'query 0' });
    expect(recorder.pending()).toBe(3);
    await recorder.close();
    expect(store.batches.flat().find((row) => row.key === 'query 0')?.count).toBe(2);
  });

  it('writes on its timer', async () => {
    const store = fakeStore();
    const recorder = createBatchedRecorder({ store, flushMs: 10, now: () => DAY });
    recorder.record({ kind: 'code-lookup', code: 'CID3006' });
    await waitFor('the timed write', () => store.batches.length > 0);
    await recorder.close();
    expect(store.batches[0]).toEqual([{ kind: 'code-lookup', key: 'CID3006', day: '2025-03-14', count: 1 }]);
  });

  it('never throws into the request', () => {
    const recorder = createBatchedRecorder({ store: fakeStore(), flushMs: 0 });
    expect(() => recorder.record({ kind: 'search-no-results', query: undefined as unknown as string })).not.toThrow();
  });
});
