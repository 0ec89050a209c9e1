import path from 'node:path';
import type express from 'express';
import pino from 'pino';
import { createApp } from '../../src/app';
import type { Config } from '../../src/config';
import { loadConfig } from '../../src/config';
import type { Runtime } from '../../src/runtime';
import { buildRuntime } from '../../src/runtime';

export const fixtureContent = path.join(__dirname, '..', 'fixtures', 'content');
export const siteContent = path.join(__dirname, '..', '..', 'content');

export function testConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): Config {
  return { ...loadConfig({ BASE_URL: 'https://help.example.nhs.uk', ...env }), logLevel: 'silent', ...overrides };
}

/** An app over a content folder (the small fixture by default), with its runtime for assertions. */
export function appFor(
  contentDir = fixtureContent,
  overrides: Partial<Config> = {},
): { app: express.Express; runtime: Runtime; config: Config } {
  const config = testConfig({ contentDir, ...overrides });
  const runtime = buildRuntime(config);
  const app = createApp({
    config,
    views: runtime.views,
    assets: runtime.assets,
    logger: pino({ level: 'silent' }),
    current: () => runtime.bundle,
  });
  return { app, runtime, config };
}
