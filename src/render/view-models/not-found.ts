/** The 404 page's template and what it shows, for the server and the static export alike. */
export const NOT_FOUND_TEMPLATE = 'pages/not-found.njk';

/** What the 404 page shows. `code` is what the visitor typed when a reference code was not found. */
export function notFoundLocals(code?: string): Record<string, unknown> {
  return { pageTitle: code !== undefined ? 'Reference code not found' : 'Page not found', code, robotsNoindex: true };
}
