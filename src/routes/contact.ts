import { Router } from 'express';
import type { Site } from '../content/site';
import { normaliseCode } from '../content/reference-codes';
import type { SiteBundle } from '../load-site';

/** The reference a visitor came with: a known code with its section heading, or a well-formed code as typed. */
export function referenceFor(site: Site, input: unknown): { code: string; heading?: string } | undefined {
  if (typeof input !== 'string') return undefined;
  const code = normaliseCode(input);
  if (!code) return undefined;
  const owner = site.codes.get(code);
  return { code, heading: owner?.section.text };
}

/** Interim contact page: how to reach the team, with the reference the visitor came with. */
export function contact(current: () => SiteBundle, supportEmail?: string): Router {
  const router = Router();
  router.get('/contact', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.render('pages/contact.njk', {
      pageTitle: 'Contact NHS login support',
      description: 'How to get help from the NHS login support team.',
      reference: referenceFor(current().site, req.query.error),
      supportEmail,
    });
  });
  return router;
}
