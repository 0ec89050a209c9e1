import path from 'node:path';
import type express from 'express';
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../../src/http/app';
import type { Config } from '../../src/config';
import { loadConfig } from '../../src/config';
import type { Startup } from '../../src/render/startup';
import { startUp } from '../../src/render/startup';

export const fixtureContent = path.join(__dirname, '..', 'fixtures', 'content');
/** Two articles of twelve sections that all mention "password": several pages of search results. */
export const manyResultsContent = path.join(__dirname, '..', 'fixtures', 'many-results');
/** The real content: only for the few tests about the content itself. */
export const siteContent = path.join(__dirname, '..', '..', 'content');

export function testConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): Config {
  return { ...loadConfig({ BASE_URL: 'https://help.example.nhs.uk', ...env }), logLevel: 'silent', ...overrides };
}

/** An app over a content folder (the small fixture by default), with its startup for assertions. */
export function appFor(
  contentDir = fixtureContent,
  overrides: Partial<Config> = {},
): { app: express.Express; startup: Startup; config: Config } {
  const config = testConfig({ contentDir, ...overrides });
  const startup = startUp(config);
  const app = createApp({
    config,
    views: startup.views,
    assets: startup.assets,
    logger: pino({ level: 'silent' }),
    current: () => startup.rendered,
  });
  return { app, startup, config };
}

/** A GET through the app with the body as sent, uncompressed bytes (no parsing), for byte-for-byte comparisons. */
export async function rawGet(app: express.Express, url: string): Promise<{ status: number; location?: string; body: Buffer }> {
  const res = await request(app)
    .get(url)
    .set('Accept-Encoding', 'identity')
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  return { status: res.status, location: res.headers.location, body: res.body as Buffer };
}

/**
 * A prepared body's ETag without its form's suffix: the best gzip or brotli form may be made
 * between two requests, which changes the suffix (`-gzip-fast` to `-gzip`), not the body's hash.
 */
export function bodyHash(etag: unknown): string {
  return String(etag).replace(/-(?:gzip|br)(?:-fast)?"$/, '');
}
