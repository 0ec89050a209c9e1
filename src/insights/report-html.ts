import type { InsightReport } from './report';
import { percent } from './report';

/**
 * The report as one self-contained HTML page: no scripts, fonts or images from anywhere else.
 * Each chart is an SVG with a title and a description that lists every value, and the numbers
 * are drawn as text beside the bars, so nothing depends on seeing the bars or their colours.
 */

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const WIDTH = 960;
const LABEL = 320;
const ROW = 30;
/** Room to the right of the longest bar for its numbers. */
const BAR_MAX = WIDTH - LABEL - 240;

interface Bar {
  label: string;
  value: number;
  /** Said after the number, e.g. "at /cid 3, in search 1". */
  note?: string;
}

function barChart(id: string, title: string, bars: Bar[], colour = '#005eb8'): string {
  if (bars.length === 0) return `<p class="none">None in this period.</p>`;
  const max = Math.max(...bars.map((bar) => bar.value), 1);
  const height = bars.length * ROW + 8;
  const description = bars.map((bar) => `${bar.label}: ${bar.value}${bar.note ? ` (${bar.note})` : ''}`).join('; ');
  const rows = bars
    .map((bar, index) => {
      const y = index * ROW + 4;
      const width = Math.max(2, Math.round((bar.value / max) * BAR_MAX));
      return `<g>
  <text x="${LABEL - 10}" y="${y + 19}" text-anchor="end" class="label">${escapeHtml(clip(bar.label, 40))}</text>
  <rect x="${LABEL}" y="${y + 4}" width="${width}" height="${ROW - 10}" fill="${colour}"></rect>
  <text x="${LABEL + width + 8}" y="${y + 19}" class="value">${bar.value}${bar.note ? ` · ${escapeHtml(bar.note)}` : ''}</text>
</g>`;
    })
    .join('\n');
  return `<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">
<title id="${id}-title">${escapeHtml(title)}</title>
<desc id="${id}-desc">${escapeHtml(description)}</desc>
${rows}
</svg>`;
}

function helpfulChart(report: InsightReport): string {
  const pages = report.pages;
  if (pages.length === 0) return `<p class="none">No votes in this period.</p>`;
  const max = Math.max(...pages.map((page) => page.yes + page.no), 1);
  const height = pages.length * ROW + 8;
  const description = pages.map((page) => `${page.title}: ${page.yes} yes, ${page.no} no, ${percent(page.helpfulRate)} helpful`).join('; ');
  const rows = pages
    .map((page, index) => {
      const y = index * ROW + 4;
      const yes = Math.round((page.yes / max) * BAR_MAX);
      const no = Math.round((page.no / max) * BAR_MAX);
      return `<g>
  <text x="${LABEL - 10}" y="${y + 19}" text-anchor="end" class="label">${escapeHtml(clip(page.title, 40))}</text>
  <rect x="${LABEL}" y="${y + 4}" width="${yes}" height="${ROW - 10}" fill="#007f3b"></rect>
  <rect x="${LABEL + yes}" y="${y + 4}" width="${no}" height="${ROW - 10}" fill="#d5281b" class="no"></rect>
  <text x="${LABEL + yes + no + 8}" y="${y + 19}" class="value">${page.yes} yes · ${page.no} no · ${percent(page.helpfulRate)}</text>
</g>`;
    })
    .join('\n');
  return `<svg role="img" aria-labelledby="helpful-title helpful-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">
<title id="helpful-title">Yes and No per page, most No first</title>
<desc id="helpful-desc">${escapeHtml(description)}</desc>
${rows}
</svg>
<p class="key"><span class="swatch yes"></span> Yes <span class="swatch no"></span> No</p>`;
}

function sectionTable(report: InsightReport): string {
  const rows = report.pages.flatMap((page) =>
    page.sections.map(
      (section) =>
        `<tr><td><a href="${escapeHtml(page.page)}#${escapeHtml(section.section)}">${escapeHtml(page.title)} – ${escapeHtml(section.heading)}</a></td><td>${escapeHtml(section.codes.join(', ') || '-')}</td><td class="n">${section.yes}</td><td class="n">${section.no}</td><td class="n">${percent(section.helpfulRate)}</td></tr>`,
    ),
  );
  if (rows.length === 0) return `<p class="none">No votes from section links in this period.</p>`;
  return `<table><caption>Votes from a section link (a code's section)</caption>
<thead><tr><th scope="col">Section</th><th scope="col">Codes</th><th scope="col" class="n">Yes</th><th scope="col" class="n">No</th><th scope="col" class="n">Helpful</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function commentList(report: InsightReport): string {
  if (report.comments.length === 0) return `<p class="none">No comments in this period.</p>`;
  return `<ol class="comments">${report.comments
    .map(
      (comment) =>
        `<li><blockquote>${escapeHtml(comment.comment)}</blockquote><p class="meta">${escapeHtml(comment.createdAt.slice(0, 10))} · ${escapeHtml(comment.title)}${comment.heading ? ` – ${escapeHtml(comment.heading)}` : ''}</p></li>`,
    )
    .join('\n')}</ol>`;
}

const STYLE = `
body { margin: 0; background: #f0f4f5; color: #212b32; font: 16px/1.5 Arial, "Helvetica Neue", sans-serif; }
header { background: #005eb8; color: #fff; padding: 16px 32px; }
header h1 { margin: 0; font-size: 28px; }
header p { margin: 4px 0 0; }
main { max-width: 1040px; padding: 16px 32px 48px; }
section { background: #fff; margin: 24px 0; padding: 8px 24px 16px; border-bottom: 4px solid #d8dde0; }
h2 { font-size: 22px; margin: 16px 0 8px; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; list-style: none; padding: 0; margin: 16px 0 0; }
.summary li { background: #fff; padding: 12px 16px; border-left: 4px solid #005eb8; }
.summary strong { display: block; font-size: 28px; }
svg { max-width: 100%; height: auto; display: block; }
svg .label, svg .value { font: 14px Arial, sans-serif; fill: #212b32; }
.key { font-size: 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-left: 8px; vertical-align: middle; }
.swatch.yes { background: #007f3b; }
.swatch.no { background: #d5281b; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 15px; }
caption { text-align: left; font-weight: bold; padding: 8px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #d8dde0; vertical-align: top; }
.n { text-align: right; }
a { color: #005eb8; }
.none { color: #4c6272; }
.comments { padding-left: 20px; }
.comments blockquote { margin: 8px 0 0; padding-left: 12px; border-left: 4px solid #d8dde0; white-space: pre-wrap; }
.meta { margin: 4px 0 12px; color: #4c6272; font-size: 14px; }
`;

/** The report as a self-contained HTML page. */
export function formatReportHtml(report: InsightReport, siteName: string): string {
  const { totals } = report;
  const summary: [string, string][] = [
    [String(totals.votes), 'votes'],
    [percent(totals.votes === 0 ? null : totals.yes / totals.votes), 'said Yes'],
    [String(totals.noResults), 'searches found nothing'],
    [String(totals.unknownCodes), 'unknown codes typed'],
    [String(totals.lookups), 'codes looked up'],
    [String(totals.contactMessages), 'contact messages'],
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Insights from ${escapeHtml(report.since)} - ${escapeHtml(siteName)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>What patients told us</h1>
<p>${escapeHtml(siteName)}: ${report.days} day${report.days === 1 ? '' : 's'} from ${escapeHtml(report.since)}. Made ${escapeHtml(report.generatedAt)}.</p>
</header>
<main>
<ul class="summary">${summary.map(([value, label]) => `<li><strong>${escapeHtml(value)}</strong> ${escapeHtml(label)}</li>`).join('')}</ul>

<section aria-labelledby="pages-heading">
<h2 id="pages-heading">Was this page helpful?</h2>
${helpfulChart(report)}
${sectionTable(report)}
</section>

<section aria-labelledby="comments-heading">
<h2 id="comments-heading">Newest comments</h2>
${commentList(report)}
</section>

<section aria-labelledby="no-results-heading">
<h2 id="no-results-heading">Searches that found nothing</h2>
${barChart(
  'no-results',
  'Searches that found nothing, most often first',
  report.noResults.map((row) => ({ label: `“${row.query}”`, value: row.count })),
)}
</section>

<section aria-labelledby="unknown-heading">
<h2 id="unknown-heading">Codes typed that the site does not explain</h2>
${barChart(
  'unknown',
  'Unknown codes, most often first',
  report.unknownCodes.map((row) => ({ label: row.code, value: row.count, note: `at /cid ${row.cid}, in search ${row.search}` })),
  '#ae2573',
)}
</section>

<section aria-labelledby="lookups-heading">
<h2 id="lookups-heading">Codes most looked up</h2>
${barChart(
  'lookups',
  'Codes looked up through /cid, most often first',
  report.lookedUp.map((row) => ({
    label: row.heading ? `${row.code} – ${row.heading}` : `${row.code} (no longer explained)`,
    value: row.count,
  })),
)}
</section>

<section aria-labelledby="contact-heading">
<h2 id="contact-heading">Pages that led to the contact form</h2>
${barChart(
  'contact',
  'Contact messages by the page and code the patient came from',
  report.contact.map((row) => ({ label: row.page ? `${row.title} (${row.code})` : 'No known code', value: row.messages })),
  '#330072',
)}
</section>
</main>
</body>
</html>
`;
}
