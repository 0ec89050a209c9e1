import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { loadConfig } from '../config';
import { openOutbox } from '../contact/setup';
import { ContentError } from '../content/errors';
import { buildReport, parseSince } from '../insights/report';
import { formatReportHtml } from '../insights/report-html';
import { formatReportText } from '../insights/report-text';
import { openInsightStore } from '../insights/setup';
import { dayOf } from '../insights/store';
import { loadSite } from '../render/rendered-site';
import { SITE_NAME } from '../render/startup';
import { createViews } from '../render/views';

/**
 * `npm run insights -- [--since 30d] [--json | --html report.html]`: what patients told the site
 * over a period, for the content team. Reads the insight store and the contact outbox.
 */

export const USAGE = `Usage: npm run insights -- [--since 30d] [--json | --html <file>]

  --since <period>   30d (the default), 12w, or a date such as 2025-03-01
  --json             the report as JSON, for other tools
  --html <file>      the report as a self-contained web page with charts
`;

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

interface Options {
  since: string;
  format: 'text' | 'json' | 'html';
  file?: string;
}

export function parseArgs(args: string[]): Options | undefined {
  const options: Options = { since: '30d', format: 'text' };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--since' && args[i + 1] !== undefined) options.since = args[++i]!;
    else if (arg.startsWith('--since=')) options.since = arg.slice('--since='.length);
    else if (arg === '--json' && options.format === 'text') options.format = 'json';
    else if (arg === '--html' && options.format === 'text' && args[i + 1] !== undefined) {
      options.format = 'html';
      options.file = args[++i]!;
    } else return undefined;
  }
  return options;
}

/** Runs the report and returns the exit code. */
export async function runInsightsCommand(args: string[], config: Config, io: Output, now = Date.now()): Promise<number> {
  const options = parseArgs(args);
  const since = options ? parseSince(options.since, now) : undefined;
  if (!options || since === undefined) {
    io.err(USAGE);
    return 2;
  }
  const site = loadSite(config.contentDir, config.viewsDir, createViews(config.viewsDir));
  const store = await openInsightStore(config);
  const outbox = await openOutbox(config);
  let report;
  try {
    report = buildReport({
      site,
      since,
      now,
      votes: await store.voteTotals(since),
      comments: await store.comments(since, 20),
      counts: await store.countTotals(dayOf(since)),
      messages: await outbox.list(),
    });
  } finally {
    await Promise.allSettled([store.close(), outbox.close()]);
  }
  if (options.format === 'json') io.out(`${JSON.stringify(report, null, 2)}\n`);
  else if (options.format === 'html') {
    const file = path.resolve(options.file!);
    fs.writeFileSync(file, formatReportHtml(report, SITE_NAME));
    io.out(`Wrote the report for ${report.days} days from ${report.since} to ${file}\n`);
  } else io.out(formatReportText(report));
  return 0;
}

if (require.main === module) {
  runInsightsCommand(process.argv.slice(2), loadConfig(process.env), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof ContentError ? error.message : `Could not make the report: ${(error as Error)?.message ?? String(error)}`}\n`,
      );
      process.exitCode = 1;
    },
  );
}
