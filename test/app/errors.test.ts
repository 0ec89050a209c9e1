import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { errorHandler, notFound } from '../../src/http/middleware/errors';
import { appFor } from '../helpers/app';

const { startup } = appFor();

function failingApp(): express.Express {
  const app = express();
  startup.views.express(app);
  app.get('/boom', () => {
    throw new Error('secret internal detail at /srv/app.ts:12');
  });
  app.get('/async-boom', async () => {
    throw new Error('async secret');
  });
  app.use(notFound());
  app.use(errorHandler(pino({ level: 'silent' })));
  return app;
}

describe('error pages', () => {
  it.each([
    ['/boom', 'secret internal detail'],
    ['/async-boom', 'async secret'],
  ])('%s answers 500 with no internal detail', async (url, secret) => {
    const res = await request(failingApp()).get(url).expect(500);
    expect(res.text).toContain('Sorry, there is a problem with the service');
    expect(res.text).not.toContain(secret);
    expect(res.text).not.toContain('.ts:');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
