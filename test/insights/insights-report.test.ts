import fs from 'node:fs';
import path from 'node:path';
import { runInsightsCommand, parseArgs } from '../../src/cli/insights';
import { openSqliteOutbox } from '../../src/contact/sqlite-outbox';
import type { InsightReport } from '../../src/insights/report';
import { parseSince } from '../../src/insights/report';
import { openSqliteInsightStore } from '../../src/insights/sqlite-store';
import { fixtureContent, testConfig } from '../helpers/app';
import { removeTempDir, tempDir } from './insights-helpers';

jest.setTimeout(60_000);

const NOW = Date.parse('2025-06-30T12:00:00Z');
const DAY_MS = 24 * 60 * 60_000;

let dir: string;

/** A store with votes, a comment, counters and contact messages, some older than 30 days. */
async function seed(dataDir: string): Promise<void> {
  const store = openSqliteInsightStore(dataDir);
  const vote = (page: string, section: string, helpful: 'yes' | 'no', ago: number, comment?: string) =>
    store.addVote({ page, section, helpful, createdAt: NOW - ago, ...(comment ? { comment } : {}) });
  for (let i = 0; i < 3; i += 1) await vote('/guides/phone', 'expired-link-reference-cid3006', 'no', i * 1000);
  await vote('/guides/phone', 'expired-link-reference-cid3006', 'yes', 5000);
  await vote('/guides/phone', '', 'yes', 6000);
  await vote('/guides', '', 'yes', 7000);
  await vote('/guides', '', 'no', 40 * DAY_MS, 'too old to count');
  await vote('/guides/phone', 'expired-link-reference-cid3006', 'no', 100, 'The link in my email <b>expired</b> twice');
  await store.addCounts([
    { kind: 'no-results', key: 'close my nhs login', day: '2025-06-29', count: 4 },
    { kind: 'no-results', key: 'gp surgery', day: '2025-06-30', count: 2 },
    { kind: 'no-results', key: 'from long ago', day: '2025-01-01', count: 50 },
    { kind: 'unknown-code/cid', key: 'CID9999', day: '2025-06-30', count: 3 },
    { kind: 'unknown-code/search', key: 'CID9999', day: '2025-06-30', count: 1 },
    { kind: 'code-lookup', key: 'CID3006', day: '2025-06-30', count: 12 },
    { kind: 'code-lookup', key: 'CID3007', day: '2025-06-28', count: 5 },
  ]);
  await store.close();
  const outbox = openSqliteOutbox(dataDir);
  const message = (id: string, code: string | undefined, ago: number) =>
    outbox.add({
      id,
      reference: `HC-${id}`,
      createdAt: NOW - ago,
      payload: {
        fullName: 'Jo Bloggs',
        email: 'jo@example.com',
        service: { id: 'nhs-app', name: 'NHS App' },
        problem: { value: 'other', text: 'Something else' },
        description: 'help',
        ...(code ? { referenceCode: { code } } : {}),
      },
    });
  await message('a', 'CID3006', 1000);
  await message('b', 'CID3006', 2000);
  await message('c', undefined, 3000);
  await message('d', 'CID3006', 60 * DAY_MS);
  await outbox.close();
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const config = testConfig({ contentDir: fixtureContent }, { DATA_DIR: dir });
  const code = await runInsightsCommand(args, config, { out: (text) => (out += text), err: (text) => (err += text) }, NOW);
  return { code, out, err };
}

beforeAll(async () => {
  dir = tempDir();
  await seed(dir);
});

afterAll(() => removeTempDir(dir));

describe('npm run insights', () => {
  it('prints a table of votes per page and code section, comments, searches, codes and contact sources', async () => {
    const { code, out } = await run([]);
    expect(code).toBe(0);
    expect(out).toContain('Insights from 2025-06-01 (30 days)');
    expect(out).toContain('7 votes (3 yes, 4 no, 43% helpful)');
    expect(out).toMatch(/\/guides\/phone\s+Phone problems\s+2\s+4\s+33%/);
    expect(out).toMatch(/#expired-link-reference-cid3006\s+Expired link – Reference CID3006 \[CID3006\]\s+1\s+4\s+20%/);
    expect(out).toContain('The link in my email <b>expired</b> twice');
    expect(out).not.toContain('too old to count');
    expect(out).toMatch(/close my nhs login\s+4/);
    expect(out).not.toContain('from long ago');
    expect(out).toMatch(/CID9999\s+4\s+3\s+1/);
    expect(out).toMatch(/CID3006\s+12\s+\/guides\/phone – Expired link/);
    expect(out).toMatch(/\/guides\/phone – Phone problems\s+CID3006\s+2/);
    expect(out).toMatch(/\(no known code\)\s+-\s+1/);
  });

  it('gives the same report as JSON with --json', async () => {
    const { code, out } = await run(['--json', '--since', '7d']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as InsightReport;
    expect(report.since).toBe('2025-06-24');
    expect(report.totals).toEqual({ votes: 7, yes: 3, no: 4, noResults: 6, unknownCodes: 4, lookups: 17, contactMessages: 3 });
    expect(report.pages[0]).toMatchObject({ page: '/guides/phone', yes: 2, no: 4 });
    expect(report.pages[0]!.sections[0]).toMatchObject({ section: 'expired-link-reference-cid3006', codes: ['CID3006'], yes: 1, no: 4 });
    expect(report.unknownCodes).toEqual([{ code: 'CID9999', count: 4, cid: 3, search: 1 }]);
    expect(report.contact[0]).toEqual({ page: '/guides/phone', title: 'Phone problems', code: 'CID3006', messages: 2 });
    // Nothing from the messages but their codes.
    expect(out).not.toContain('jo@example.com');
    expect(out).not.toContain('Jo Bloggs');
  });

  it('writes a self-contained page with accessible SVG charts with --html', async () => {
    const file = path.join(dir, 'report.html');
    const { code, out } = await run(['--html', file]);
    expect(code).toBe(0);
    expect(out).toContain(file);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // No outside requests: nothing loads from any URL.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/url\(/);
    expect(html).toContain(`default-src 'none'`);
    expect(html).toContain('<svg role="img" aria-labelledby="helpful-title helpful-desc"');
    expect(html).toMatch(/<desc id="helpful-desc">[^<]*Phone problems: 2 yes, 4 no, 33% helpful/);
    expect(html).toContain('>12</text>');
    // Comments are escaped text.
    expect(html).toContain('The link in my email &lt;b&gt;expired&lt;/b&gt; twice');
    expect(html).not.toContain('<b>expired</b>');
  });

  it.each([[['--since', 'yesterday']], [['--since']], [['--json', '--html', 'x.html']], [['--csv']]])(
    'explains its usage for %j',
    async (args) => {
      const { code, err } = await run(args);
      expect(code).toBe(2);
      expect(err).toContain('Usage: npm run insights');
    },
  );
});

describe('parsing the period', () => {
  it.each([
    ['30d', '2025-06-01'],
    ['1d', '2025-06-30'],
    ['2w', '2025-06-17'],
    ['2025-03-01', '2025-03-01'],
  ])('reads --since %s as from %s', (value, day) => {
    expect(new Date(parseSince(value, NOW)!).toISOString().slice(0, 10)).toBe(day);
  });

  it.each([['0d'], ['2030-01-01'], ['soon'], ['2025-13-45']])('refuses %s', (value) => {
    expect(parseSince(value, NOW)).toBeUndefined();
  });

  it('reads the flags', () => {
    expect(parseArgs(['--since=7d', '--json'])).toEqual({ since: '7d', format: 'json' });
  });
});
