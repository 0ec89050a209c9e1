import { Router } from 'express';
import type { Outbox } from '../../contact/outbox';
import { withTimeout } from '../../contact/outbox';
import type { Logger } from '../../logger';
import type { RenderedSite } from '../../render/rendered-site';
import { CACHE } from '../cache';
import type { Lifecycle } from '../lifecycle';
import { sendPrepared } from '../send';

export interface ReadinessDependencies {
  current: () => RenderedSite | undefined;
  outbox: Pick<Outbox, 'checkWritable'>;
  lifecycle: Lifecycle;
  /** The outbox check gives up after this. */
  timeoutMs: number;
  logger: Logger;
}

/** Why the server should not be sent requests now: empty when it is ready. */
export async function readinessProblems(deps: ReadinessDependencies): Promise<string[]> {
  const problems: string[] = [];
  if (deps.lifecycle.draining) problems.push('shutting down');
  if (!deps.current()) problems.push('content not loaded');
  try {
    await withTimeout('the outbox check', deps.timeoutMs, deps.outbox.checkWritable(deps.timeoutMs));
  } catch (error) {
    problems.push('outbox not writable');
    deps.logger.warn({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'readiness: outbox not writable');
  }
  return problems;
}

/**
 * Liveness and readiness, first in the middleware chain so that they are answered however busy
 * the server is. /healthz: the process is serving (restart it if not). /readyz: content is
 * loaded, the outbox can be written, and the server is not shutting down (send it traffic).
 */
export function health(deps: ReadinessDependencies): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const rendered = deps.current();
    res.setHeader('Cache-Control', CACHE.none);
    if (!rendered) return res.status(503).json({ status: 'starting' });
    return res.json({ status: 'ok', pages: rendered.pages.size, codes: rendered.site.codes.size });
  });
  router.get('/readyz', async (_req, res) => {
    const problems = await readinessProblems(deps);
    res.setHeader('Cache-Control', CACHE.none);
    res.status(problems.length === 0 ? 200 : 503).json(problems.length === 0 ? { status: 'ready' } : { status: 'not ready', problems });
  });
  return router;
}

/** robots.txt and the sitemap. */
export function meta(current: () => RenderedSite | undefined): Router {
  const router = Router();
  for (const path of ['/robots.txt', '/sitemap.xml']) {
    router.get(path, (req, res, next) => {
      const document = current()?.documents.get(path);
      return document ? sendPrepared(req, res, document, CACHE.meta) : next();
    });
  }
  return router;
}
