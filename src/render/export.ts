import fs from 'node:fs';
import path from 'node:path';
import { nhsukAssetsDir } from './assets';
import { NOT_FOUND_TEMPLATE, notFoundLocals } from '../http/middleware/errors';
import type { Startup } from './startup';
import { searchView } from './view-models/search-view';

/** One file of the static site: its path under the export folder and its bytes. */
export interface ExportFile {
  file: string;
  body: Buffer | string;
}

/** The folder and file for a site URL: `/` -> `index.html`, `/manage` -> `manage/index.html`. */
export function fileForUrl(url: string): string {
  return url === '/' ? 'index.html' : `${url.replace(/^\/+/, '')}/index.html`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A page that sends the browser on to `target`: meta refresh, canonical and a plain link. */
export function redirectPage(code: string, target: string, canonical: string): string {
  const href = escapeHtml(target);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Reference ${code} - NHS login help centre</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="${escapeHtml(canonical)}">
<meta http-equiv="refresh" content="0; url=${href}">
</head>
<body>
<p>The help for reference ${code} is at <a href="${href}">${href}</a>.</p>
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

/** The forms of a code people type, each of which must lead to its section: CID3006, cid3006, 3006. */
export function codeForms(code: string): string[] {
  return [code, code.toLowerCase(), code.slice(3)];
}

/**
 * Everything a static host needs to serve the site: every page as `<url>/index.html`, the
 * reference-code index and JSON, sitemap, robots.txt, 404.html, assets, a redirect page for every
 * form of every code, and redirect rules for hosts that can do real redirects.
 */
export function exportFiles(startup: Startup, options: { feedbackUrl?: string } = {}): ExportFile[] {
  const { rendered, views, assets, context } = startup;
  const files: ExportFile[] = [];
  for (const [url, page] of rendered.pages)
    files.push({ file: fileForUrl(url), body: withFeedbackForm(page.body.toString('utf8'), options.feedbackUrl) });
  files.push({ file: 'cid/index.html', body: rendered.documents.get('/cid')!.body });
  for (const name of ['/cid.json', '/sitemap.xml', '/robots.txt'])
    files.push({ file: name.slice(1), body: rendered.documents.get(name)!.body });
  files.push({ file: 'search/index.html', body: views.render('pages/search.njk', searchView('', undefined, undefined)) });
  files.push({ file: '404.html', body: views.render(NOT_FOUND_TEMPLATE, notFoundLocals()) });
  for (const { url, prepared } of assets.entries()) files.push({ file: url.slice(1), body: prepared.body });

  const redirects: string[] = ['# Reference-code links: /cid/<code> goes to the section that explains it.'];
  const nginx: string[] = [
    '# Reference-code links for nginx. Include inside the http block, then in the server block:',
    '#   if ($cid_target) { return 302 $cid_target; }',
    'map $uri $cid_target {',
    '    default "";',
  ];
  for (const owner of rendered.site.codes.values()) {
    const target = `${owner.page.url}#${owner.section.id}`;
    const canonical = `${context.baseUrl}${target}`;
    for (const form of codeForms(owner.code)) {
      files.push({ file: `cid/${form}/index.html`, body: redirectPage(owner.code, target, canonical) });
      redirects.push(`/cid/${form} ${target} 302`);
    }
    nginx.push(`    "~*^/cid/(cid)?${owner.code.slice(3)}/?$" "${target}";`);
  }
  nginx.push('}');
  files.push({ file: '_redirects', body: `${redirects.join('\n')}\n` });
  files.push({ file: 'nginx-cid-redirects.conf', body: `${nginx.join('\n')}\n` });
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
