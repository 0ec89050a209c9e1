/**
 * The one home of the site's URL rules: where a section lives, and how a site path becomes an
 * absolute URL on the public origin. Nothing else joins a page URL and a heading id, or a base
 * URL and a path.
 */

/** The URL of a section: `/manage/mobile-phone#expired-link-reference-cid3006`. */
export function sectionUrl(pageUrl: string, headingId: string): string {
  return `${pageUrl}#${headingId}`;
}

/** Joins the site's base URL (an origin, no path) and a site path: canonicalUrl('https://x.nhs.uk', '/manage'). */
export function canonicalUrl(baseUrl: string, sitePath: string): string {
  if (sitePath === '/' || sitePath === '') return `${baseUrl}/`;
  return `${baseUrl}${sitePath.startsWith('/') ? '' : '/'}${sitePath}`;
}
