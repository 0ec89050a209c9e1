import fs from 'node:fs';
import path from 'node:path';
import { codeForms } from '../content/reference-codes';
import { sectionUrl } from '../content/urls';
import { escapeHtml } from './escape';
import { nhsukAssetsDir } from './assets';
import { NOT_FOUND_TEMPLATE, notFoundLocals } from './view-models/not-found';
import { retiredCodePath } from './rendered-site';
import type { Startup } from './startup';
import { searchView } from './view-models/search-view';

/** One file of the static site: its path under the export folder and its bytes. */
export interface ExportFile {
  file: string;
  body: Buffer | string;
}

/**
 * The file for a site URL: `/` -> `index.html`, `/manage` -> `manage.html`. A page's URL has no
 * trailing slash, and hosts that serve `manage.html` at `/manage` do not also answer `/manage/`
 * (as they would for `manage/index.html`), so each page has one address.
 */
export function fileForUrl(url: string): string {
  return url === '/' ? 'index.html' : `${url.replace(/^\/+/, '')}.html`;
}

/** The page a static host shows for an unknown `/cid/<code>`, like the server's "Reference code not found". */
export const CODE_NOT_FOUND_FILE = 'cid/not-found.html';

/** A page that sends the browser on to `target`: meta refresh, canonical and a plain link. */
export function redirectPage(code: string, target: string, canonical: string): string {
  return movedPage(`Reference ${code}`, `The help for reference ${code} is at`, target, canonical);
}

function movedPage(title: string, lead: string, target: string, canonical: string): string {
  const href = escapeHtml(target);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} - NHS login help centre</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="${escapeHtml(canonical)}">
<meta http-equiv="refresh" content="0; url=${href}">
</head>
<body>
<p>${escapeHtml(lead)} <a href="${href}">${href}</a>.</p>
</body>
</html>
`;
}

const FEEDBACK_BLOCK = /<!-- feedback:start -->[\s\S]*?<!-- feedback:end -->\n?/g;

/**
 * A page for the static export: its "Was this page helpful?" form posts to `feedbackUrl`, or is
 * left out when there is no endpoint, rather than posting to a host that cannot take it.
 */
export function withFeedbackForm(html: string, feedbackUrl: string | undefined): string {
  if (!feedbackUrl) return html.replace(FEEDBACK_BLOCK, '');
  return html.replace(FEEDBACK_BLOCK, (block) => block.replace('action="/feedback"', `action="${escapeHtml(feedbackUrl)}"`));
}

/**
 * Everything a static host needs to serve the site: every page as `<url>.html`, the reference-code
 * index and JSON, sitemap, robots.txt, 404.html and the unknown-code page, assets and images, a
 * redirect page for every form of every code and every old page address, each retired code's page,
 * and redirect rules for hosts that can do real redirects.
 */
export function exportFiles(startup: Startup, options: { feedbackUrl?: string } = {}): ExportFile[] {
  const { rendered, views, assets, context } = startup;
  const files: ExportFile[] = [];
  for (const [url, page] of rendered.pages)
    files.push({ file: fileForUrl(url), body: withFeedbackForm(page.body.toString('utf8'), options.feedbackUrl) });
  files.push({ file: fileForUrl('/cid'), body: rendered.documents.get('/cid')!.body });
  for (const name of ['/cid.json', '/sitemap.xml', '/robots.txt'])
    files.push({ file: name.slice(1), body: rendered.documents.get(name)!.body });
  files.push({ file: fileForUrl('/search'), body: views.render('pages/search.njk', searchView('', undefined, undefined)) });
  files.push({ file: '404.html', body: views.render(NOT_FOUND_TEMPLATE, notFoundLocals()) });
  files.push({ file: CODE_NOT_FOUND_FILE, body: views.render(NOT_FOUND_TEMPLATE, notFoundLocals('')) });
  for (const { url, prepared } of assets.entries()) files.push({ file: url.slice(1), body: prepared.body });
  for (const [url, prepared] of rendered.images) files.push({ file: url.slice(1), body: prepared.body });

  const redirects: string[] = ['# Reference-code links: /cid/<code> goes to the section that explains it.'];
  const nginx: string[] = [
    '# Reference-code links for nginx. Include inside the http block, then in the server block:',
    '#   if ($cid_target) { return 302 $cid_target; }',
    'map $uri $cid_target {',
    '    default "";',
  ];
  for (const owner of rendered.site.codes.values()) {
    const target = sectionUrl(owner.page.url, owner.section.id);
    const canonical = `${context.baseUrl}${target}`;
    for (const form of codeForms(owner.code)) {
      files.push({ file: fileForUrl(`/cid/${form}`), body: redirectPage(owner.code, target, canonical) });
      redirects.push(`/cid/${form} ${target} 302`);
    }
    nginx.push(`    "~*^/cid/(cid)?${owner.code.slice(3)}/?$" "${target}";`);
  }
  nginx.push('}');

  // Retired codes: the same page the server answers, at every form of the code.
  for (const code of rendered.site.retired.keys()) {
    const body = rendered.documents.get(retiredCodePath(code))!.body;
    for (const form of codeForms(code)) files.push({ file: fileForUrl(`/cid/${form}`), body });
  }

  // Old addresses of pages (redirect_from): a 301 where the host can, a redirect page where not.
  redirects.push('# Old addresses of pages (redirect_from in their front matter).');
  const pageNginx: string[] = [
    '# Old addresses of pages for nginx. Include inside the http block, then in the server block:',
    '#   if ($page_redirect) { return 301 $page_redirect; }',
    'map $uri $page_redirect {',
    '    default "";',
  ];
  for (const [old, page] of rendered.site.redirects) {
    files.push({ file: fileForUrl(old), body: movedPage(page.title, 'This page has moved to', page.url, `${context.baseUrl}${page.url}`) });
    redirects.push(`${old} ${page.url} 301`);
    pageNginx.push(`    "~*^${old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?$" "${page.url}";`);
  }
  pageNginx.push('}');
  // Last, so that every rule above wins: unknown codes get the "Reference code not found" page.
  redirects.push('# Any other code: the "Reference code not found" page, with status 404.');
  redirects.push(`/cid/* /${CODE_NOT_FOUND_FILE.replace(/\.html$/, '')} 404`);

  files.push({ file: '_redirects', body: `${redirects.join('\n')}\n` });
  files.push({ file: 'nginx-cid-redirects.conf', body: `${nginx.join('\n')}\n` });
  files.push({ file: 'nginx-page-redirects.conf', body: `${pageNginx.join('\n')}\n` });
  return files;
}

/** Writes the static site into `outDir`, with nhsuk-frontend's favicons and manifest under assets/. */
export function writeExport(startup: Startup, outDir: string, options: { feedbackUrl?: string } = {}): number {
  const files = exportFiles(startup, options);
  fs.mkdirSync(outDir, { recursive: true });
  for (const { file, body } of files) {
    const target = path.join(outDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, body);
  }
  fs.cpSync(nhsukAssetsDir, path.join(outDir, 'assets'), { recursive: true });
  return files.length;
}
