import type { RequestHandler } from 'express';

/** Staging: every response, errors included, asks search engines not to index it. */
export function noindex(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    next();
  };
}
