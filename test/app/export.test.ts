import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { withFeedbackForm, writeExport } from '../../src/render/export';
import { appFor, rawGet, siteContent } from '../helpers/app';

const { app, startup } = appFor(siteContent);
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-export-'));
let server: http.Server;
let base: string;

/** A plain static file server that ignores _redirects, as GitHub Pages would be: `/a` serves `a.html`, unknown paths 404.html. */
function staticServer(root: string): http.Server {
  return http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const candidates = [path.join(root, urlPath), path.join(root, `${urlPath}.html`), path.join(root, urlPath, 'index.html')];
    const file = candidates.find((f) => f.startsWith(root) && fs.existsSync(f) && fs.statSync(f).isFile());
    if (file) {
      res.writeHead(200);
      res.end(fs.readFileSync(file));
    } else {
      res.writeHead(404);
      res.end(fs.readFileSync(path.join(root, '404.html')));
    }
  });
}

function fetchStatic(urlPath: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${urlPath}`, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

beforeAll((done) => {
  writeExport(startup, outDir);
  server = staticServer(outDir).listen(0, '127.0.0.1', () => {
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    done();
  });
});

afterAll((done) => {
  fs.rmSync(outDir, { recursive: true, force: true });
  server.close(done);
});

const expressBody = async (url: string): Promise<Buffer> => (await rawGet(app, url)).body;

describe('static export', () => {
  it('serves every page, document and asset byte for byte as the server does, pages without the feedback form', async () => {
    const urls = [
      ...startup.rendered.site.pages.map((p) => p.url),
      '/cid',
      '/cid.json',
      '/sitemap.xml',
      '/robots.txt',
      '/search',
      ...startup.assets.entries().map((a) => a.url),
    ];
    expect(urls.length).toBeGreaterThan(startup.rendered.site.pages.length);
    for (const url of urls) {
      const exported = await fetchStatic(url);
      expect({ url, status: exported.status }).toEqual({ url, status: 200 });
      const served = await expressBody(url);
      // Without FEEDBACK_URL a static host has nowhere to send feedback, so the form is left out.
      const expected = startup.rendered.pages.has(url) ? Buffer.from(withFeedbackForm(served.toString('utf8'), undefined)) : served;
      expect(exported.body.equals(expected)).toBe(true);
    }
  });

  it('has a 404.html that matches the server 404 page', async () => {
    const exported = await fetchStatic('/no/such/page');
    expect(exported.status).toBe(404);
    expect(exported.body.equals(await expressBody('/no/such/page'))).toBe(true);
  });

  it('has redirect pages for every form of every code, pointing where /cid/<code> does', async () => {
    expect(startup.rendered.site.codes.size).toBeGreaterThan(0);
    for (const code of startup.rendered.site.codes.keys()) {
      const location = (await request(app).get(`/cid/${code}`).expect(302)).headers.location as string;
      for (const form of [code, code.toLowerCase(), code.slice(3)]) {
        const html = (await fetchStatic(`/cid/${form}`)).body.toString();
        expect(html).toContain(`<meta http-equiv="refresh" content="0; url=${location}">`);
        expect(html).toContain(`<a href="${location}">`);
        expect(html).toContain(`<link rel="canonical" href="https://help.example.nhs.uk${location}">`);
      }
    }
  });

  it('writes redirect rules for hosts that can redirect', () => {
    const owner = startup.rendered.site.codes.get('CID3006')!;
    const target = `${owner.page.url}#${owner.section.id}`;
    const rules = fs.readFileSync(path.join(outDir, '_redirects'), 'utf8');
    expect(rules).toContain(`/cid/CID3006 ${target} 302`);
    expect(rules).toContain(`/cid/3006 ${target} 302`);
    const nginx = fs.readFileSync(path.join(outDir, 'nginx-cid-redirects.conf'), 'utf8');
    expect(nginx).toContain('map $uri $cid_target {');
    expect(nginx).toContain(`"~*^/cid/(cid)?3006/?$" "${target}";`);
  });

  it('copies the favicons and manifest', () => {
    expect(fs.existsSync(path.join(outDir, 'assets', 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'assets', 'images', 'favicon.svg'))).toBe(true);
  });
});
