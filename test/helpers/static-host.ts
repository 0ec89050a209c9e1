import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A static host as docs/deploying.md describes for the export (Cloudflare Pages, or nginx with the
 * rules given there): `/a` serves `a.html`, `/a.html` and `/a/` redirect to `/a`, the `_redirects`
 * rules apply (301 and 302 before files, with or without a trailing slash; a 404 rule only when no file matches), anything else
 * answers 404.html with status 404. It does not hide /404.html: see docs/deploying.md.
 */
export function staticHost(root: string): http.Server {
  const rules = fs
    .readFileSync(path.join(root, '_redirects'), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [from, to, status] = line.split(/\s+/) as [string, string, string];
      return { from, to, status: Number(status) };
    });
  // As Netlify and Cloudflare Pages do, a rule matches with or without a trailing slash.
  const matches = (pattern: string, urlPath: string): boolean =>
    pattern.endsWith('/*') ? urlPath.startsWith(pattern.slice(0, -1)) : pattern === urlPath || `${pattern}/` === urlPath;
  const fileFor = (urlPath: string): string | undefined => {
    const relative = urlPath === '/' ? 'index.html' : urlPath.endsWith('/') || urlPath.endsWith('.html') ? undefined : urlPath.slice(1);
    if (relative === undefined) return undefined;
    for (const candidate of [path.join(root, relative), path.join(root, `${relative}.html`)]) {
      if (candidate.startsWith(root) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  };
  return http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const redirect = rules.find((rule) => rule.status >= 300 && rule.status < 400 && matches(rule.from, urlPath));
    if (redirect) {
      res.writeHead(redirect.status, { Location: redirect.to });
      res.end();
      return;
    }
    const file = fileFor(urlPath);
    if (file) {
      res.writeHead(200);
      res.end(fs.readFileSync(file));
      return;
    }
    const tidy = urlPath.replace(/\.html$|\/+$/, '');
    if (tidy !== urlPath && tidy && fileFor(tidy)) {
      res.writeHead(301, { Location: tidy });
      res.end();
      return;
    }
    const notFound = rules.find((rule) => rule.status === 404 && matches(rule.from, urlPath));
    res.writeHead(404);
    res.end(fs.readFileSync(path.join(root, notFound ? `${notFound.to.slice(1)}.html` : '404.html')));
  });
}

/** Starts a server on a free port; resolves to its base URL. */
export function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** GET without following redirects: status, Location and body. */
export function fetchRaw(base: string, urlPath: string): Promise<{ status: number; location?: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${urlPath}`, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}
