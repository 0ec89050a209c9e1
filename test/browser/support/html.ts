import fs from 'node:fs';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import type { ConfigData, Message } from 'html-validate';
import { PROJECT_ROOT } from './server';

/**
 * The project's html-validate settings (.htmlvalidate.json): the recommended preset, less
 * `no-trailing-whitespace`, which judges how source files are typed. Rendered Nunjucks output
 * has trailing spaces wherever a macro's `{% if %}` prints nothing, and that is not a defect of
 * the page.
 */
const config = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, '.htmlvalidate.json'), 'utf8')) as ConfigData;
const validator = new HtmlValidate(config);

/**
 * nhsuk-frontend's own templates put explicit roles on these elements: landmark roles for old
 * screen readers, and table roles on responsive tables, whose CSS would otherwise strip table
 * semantics. We cannot change those templates, so `no-redundant-role` is waived for exactly
 * these elements, recognised by their component class. The rule stays on for everything we write.
 */
const UPSTREAM_LANDMARKS = [
  { tagName: 'header', role: 'banner', className: 'nhsuk-header' },
  { tagName: 'footer', role: 'contentinfo', className: 'nhsuk-footer' },
  { tagName: 'nav', role: 'navigation', className: 'nhsuk-contents-list' },
  { tagName: 'nav', role: 'navigation', className: 'nhsuk-pagination' },
];
const RESPONSIVE_TABLE_CLASS = 'nhsuk-table--responsive';
const TABLE_ROLES: Record<string, string[]> = {
  table: ['table'],
  thead: ['rowgroup'],
  tbody: ['rowgroup'],
  tr: ['row'],
  th: ['columnheader', 'rowheader'],
  td: ['cell'],
};

function classesOf(openingTag: string): string[] {
  return (/\sclass="([^"]*)"/.exec(openingTag)?.[1] ?? '').split(/\s+/);
}

/** The opening tag of the `tagName` element whose attributes include `offset`. */
function openingTagAt(html: string, tagName: string, offset: number): string {
  const start = html.lastIndexOf(`<${tagName}`, offset);
  const end = html.indexOf('>', offset);
  return start < 0 || end < 0 ? '' : html.slice(start, end + 1);
}

/** Whether `offset` lies inside an nhsuk-frontend responsive table. */
function inResponsiveTable(html: string, offset: number): boolean {
  const start = html.lastIndexOf('<table', offset);
  if (start < 0 || html.lastIndexOf('</table', offset) > start) return false;
  return classesOf(openingTagAt(html, 'table', start)).includes(RESPONSIVE_TABLE_CLASS);
}

function isUpstreamMarkup(html: string, message: Message): boolean {
  if (message.ruleId !== 'no-redundant-role') return false;
  const { tagName = '', role = '' } = (message.context ?? {}) as { tagName?: string; role?: string };
  if (TABLE_ROLES[tagName]?.includes(role)) return inResponsiveTable(html, message.offset);
  return UPSTREAM_LANDMARKS.some(
    (allowed) =>
      allowed.tagName === tagName &&
      allowed.role === role &&
      classesOf(openingTagAt(html, tagName, message.offset)).includes(allowed.className),
  );
}

/** html-validate's errors for one served page, as readable lines ("12:5 rule-id message (selector)"). */
export async function validateHtml(html: string, name: string): Promise<string[]> {
  const report = await validator.validateString(html, name);
  return report.results
    .flatMap((result) => result.messages)
    .filter((message) => message.severity === 2 && !isUpstreamMarkup(html, message))
    .map(
      (message) =>
        `${message.line}:${message.column} ${message.ruleId} ${message.message}${message.selector ? ` (${message.selector})` : ''}`,
    );
}
