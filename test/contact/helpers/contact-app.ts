import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../../src/http/app';
import type { Config } from '../../../src/config';
import { createFormTokens } from '../../../src/contact/csrf';
import type { Outbox } from '../../../src/contact/outbox';
import { createRateLimiter } from '../../../src/contact/rate-limit';
import type { Service } from '../../../src/contact/services';
import { loadServices } from '../../../src/contact/services';
import type { ContactDependencies } from '../../../src/contact/setup';
import { openSqliteOutbox } from '../../../src/contact/sqlite-outbox';
import type { Startup } from '../../../src/render/startup';
import { startUp } from '../../../src/render/startup';
import { fixtureContent, testConfig } from '../../helpers/app';

/** A short list of websites and apps, in test/fixtures/services/_data/services.yml. */
export const services: Service[] = loadServices(path.join(__dirname, '..', '..', 'fixtures', 'services'))!;

/** A folder of its own under the system temp folder, removed by `removeTempDir`. */
export function tempDir(prefix = 'contact-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface ContactTestApp {
  app: express.Express;
  outbox: Outbox;
  deps: ContactDependencies;
  config: Config;
  /** The views and rendered site the app serves. */
  startup: Startup;
  /** How many times the app told the sender a message was waiting. */
  notified: () => number;
}

const runtimes = new Map<string, Startup>();

/** Views, assets and pages are built once per content folder: only the outbox changes between tests. */
function runtimeFor(config: Config): Startup {
  let startup = runtimes.get(config.contentDir);
  if (!startup) {
    startup = startUp(config);
    runtimes.set(config.contentDir, startup);
  }
  return startup;
}

/** The app over the fixture content with a contact form on the given outbox (SQLite in a temp folder by default). */
export function contactApp(
  options: { outbox?: Outbox; dataDir?: string; rateLimit?: number; notify?: () => void; config?: Partial<Config> } = {},
): ContactTestApp {
  const config = testConfig({ contentDir: fixtureContent, ...options.config });
  const startup = runtimeFor(config);
  const outbox = options.outbox ?? openSqliteOutbox(options.dataDir ?? tempDir());
  let notified = 0;
  const deps: ContactDependencies = {
    services,
    outbox,
    tokens: createFormTokens({ secret: 'test secret', https: config.baseUrl.startsWith('https:') }),
    limiter: createRateLimiter({ max: options.rateLimit ?? 1000, windowMs: 10 * 60_000 }),
    notify: () => {
      notified += 1;
      options.notify?.();
    },
  };
  const app = createApp({
    config,
    views: startup.views,
    assets: startup.assets,
    logger: pino({ level: 'silent' }),
    current: () => startup.rendered,
    contact: deps,
  });
  return { app, outbox, deps, config, startup, notified: () => notified };
}

export interface FormSession {
  cookie: string;
  token: string;
  html: string;
}

/** Opens the form as a browser would: keeps the cookie and reads the token from the page. */
export async function openForm(app: express.Express, url = '/contact', cookie?: string): Promise<FormSession> {
  const res = await request(app)
    .get(url)
    .set(cookie ? { Cookie: cookie } : {})
    .expect(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const token = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
  if (!token) throw new Error('the form has no token');
  return { cookie: cookie ?? setCookie[0]!.split(';')[0]!, token, html: res.text };
}

/** The form opened again in the same browser (same cookie): a new token, good for one more message. */
export function newForm(app: express.Express, session: FormSession): Promise<FormSession> {
  return openForm(app, '/contact', session.cookie);
}

/** A message that passes every check. */
export function validFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    fullName: 'Sam Patient',
    email: 'sam.patient@example.com',
    service: 'nhs-app',
    otherService: '',
    problem: 'logging-in',
    description: 'I get an error after entering my security code.',
    ...overrides,
  };
}

/** Posts the form with the session's cookie and token. */
export function postForm(app: express.Express, session: FormSession, fields: Record<string, string>): request.Test {
  return request(app)
    .post('/contact')
    .set('Cookie', session.cookie)
    .type('form')
    .send({ _csrf: session.token, ...fields });
}
