import type { Article, Page, Site } from '../../content/site';

/** How many related answers the foot of an article shows. */
export const RELATED_COUNT = 3;

/**
 * Up to three answers to suggest at the foot of an article: the pages its front matter names in
 * `related`, in that order; otherwise its neighbours in the same hub, the ones after it first
 * (by position), then the ones before it.
 */
export function relatedPages(site: Site, article: Article): Page[] {
  if (article.related.length > 0) {
    return article.related.map((url) => site.byUrl.get(url)).filter((page): page is Page => page !== undefined);
  }
  const hub = article.hub === undefined ? undefined : site.hubs.get(article.hub);
  const siblings = (hub?.children ?? []).filter((page) => page.kind === 'article');
  const index = siblings.indexOf(article);
  if (index < 0) return [];
  return [...siblings.slice(index + 1), ...siblings.slice(0, index)].slice(0, RELATED_COUNT);
}
