import type { InsightReport } from './report';
import { percent } from './report';

function table(headers: string[], rows: string[][], numeric: Set<number>): string {
  if (rows.length === 0) return '  None.\n';
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    `  ${row
      .map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd()}`;
  return `${all.map(line).join('\n')}\n`;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The report as plain text for a terminal. */
export function formatReportText(report: InsightReport): string {
  const { totals } = report;
  const rate = percent(totals.votes === 0 ? null : totals.yes / totals.votes);
  const out: string[] = [
    `Insights from ${report.since} (${report.days} day${report.days === 1 ? '' : 's'}), made ${report.generatedAt}`,
    `${totals.votes} votes (${totals.yes} yes, ${totals.no} no, ${rate} helpful); ${totals.noResults} searches found nothing; ` +
      `${totals.unknownCodes} unknown codes typed; ${totals.lookups} codes looked up; ${totals.contactMessages} contact messages`,
    '',
    'Was this page helpful? (most "No" first)',
  ];
  const pageRows: string[][] = [];
  for (const page of report.pages) {
    pageRows.push([page.page, clip(page.title, 56), String(page.yes), String(page.no), percent(page.helpfulRate)]);
    for (const section of page.sections) {
      const codes = section.codes.length ? ` [${section.codes.join(', ')}]` : '';
      pageRows.push([
        `  #${section.section}`,
        clip(`${section.heading}${codes}`, 56),
        String(section.yes),
        String(section.no),
        percent(section.helpfulRate),
      ]);
    }
  }
  out.push(table(['PAGE', 'TITLE', 'YES', 'NO', 'HELPFUL'], pageRows, new Set([2, 3, 4])));
  out.push('Newest comments');
  out.push(
    table(
      ['WRITTEN', 'PAGE', 'COMMENT'],
      report.comments.map((comment) => [
        comment.createdAt.slice(0, 10),
        `${comment.page}${comment.section ? `#${comment.section}` : ''}`,
        clip(comment.comment, 80),
      ]),
      new Set(),
    ),
  );
  out.push('Searches that found nothing');
  out.push(
    table(
      ['QUERY', 'TIMES'],
      report.noResults.map((row) => [clip(row.query, 60), String(row.count)]),
      new Set([1]),
    ),
  );
  out.push('Codes typed that the site does not explain');
  out.push(
    table(
      ['CODE', 'TIMES', 'AT /CID', 'IN SEARCH'],
      report.unknownCodes.map((row) => [row.code, String(row.count), String(row.cid), String(row.search)]),
      new Set([1, 2, 3]),
    ),
  );
  out.push('Codes most looked up');
  out.push(
    table(
      ['CODE', 'TIMES', 'SECTION'],
      report.lookedUp.map((row) => [
        row.code,
        String(row.count),
        row.page ? clip(`${row.page} – ${row.heading}`, 60) : '(no longer explained)',
      ]),
      new Set([1]),
    ),
  );
  out.push('Pages that led to the contact form (by the code the patient came with)');
  out.push(
    table(
      ['PAGE', 'CODE', 'MESSAGES'],
      report.contact.map((row) => [
        row.page ? clip(`${row.page} – ${row.title}`, 60) : '(no known code)',
        row.code || '-',
        String(row.messages),
      ]),
      new Set([2]),
    ),
  );
  return `${out.join('\n')}`;
}
