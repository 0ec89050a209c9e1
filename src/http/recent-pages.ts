import type { RenderedSite } from '../render/rendered-site';
import type { DynamicBody } from './send';

/** Pages kept per site: an outage sends many patients to the same few searches. */
export const RECENT_PAGES = 128;

/**
 * The dynamic pages asked for most recently (search results), made once and kept compressed, so
 * that a query many patients type is answered with bytes already made. Kept for the site they
 * were made from: a new site (development mode) starts afresh. In memory only, never logged.
 */
export class RecentPages<T = DynamicBody> {
  private readonly bySite = new WeakMap<RenderedSite, Map<string, T>>();

  constructor(private readonly size = RECENT_PAGES) {}

  get(site: RenderedSite, key: string): T | undefined {
    const pages = this.bySite.get(site);
    const page = pages?.get(key);
    if (page) {
      // Most recently used last: the first is the one to drop.
      pages!.delete(key);
      pages!.set(key, page);
    }
    return page;
  }

  set(site: RenderedSite, key: string, page: T): T {
    let pages = this.bySite.get(site);
    if (!pages) {
      pages = new Map();
      this.bySite.set(site, pages);
    }
    if (this.size <= 0) return page;
    pages.delete(key);
    if (pages.size >= this.size) pages.delete(pages.keys().next().value!);
    pages.set(key, page);
    return page;
  }
}
