import type { RequestHandler } from 'express';
import type { RenderedSite } from '../../render/rendered-site';
import { FROM_PARAM } from '../../render/view-models/return-link';

/**
 * `?from=<service id>`: the service a patient came from, when it is one we can send them back
 * to. Sets `res.locals.returnTo`, which every rendered view shows as "Go back to <service>";
 * unknown values are ignored.
 */
export function returnLink(current: () => RenderedSite): RequestHandler {
  return (req, res, next) => {
    const returnTo = current().returnLinkFor(req.query[FROM_PARAM]);
    if (returnTo) res.locals.returnTo = returnTo;
    next();
  };
}
