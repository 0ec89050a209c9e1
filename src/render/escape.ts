/**
 * Escaping for the few strings we build outside Nunjucks (whose autoescape covers every view):
 * the export's redirect pages, the sitemap, the search page's results and the contact form's
 * token and reference. Nothing else escapes by hand.
 */
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const XML: Record<string, string> = { ...HTML, "'": '&apos;' };

/** Text or an attribute value in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

const VIEWS: Record<string, string> = { ...HTML, '\\': '&#92;' };

/** Text or an attribute value exactly as Nunjucks' autoescape writes it (it also escapes backslashes). */
export function escapeAsViews(text: string): string {
  return text.replace(/[&<>"'\\]/g, (c) => VIEWS[c]!);
}

/** Text or an attribute value in XML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML[c]!);
}
