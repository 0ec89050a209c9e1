import path from 'node:path';
import type express from 'express';
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
