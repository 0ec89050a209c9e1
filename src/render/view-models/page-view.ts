import { canonicalUrl } from '../../content/urls';
import type { Article, Hub, Page, Site } from '../../content/site';
import { relatedPages } from './related';
import type { ReturnLink } from './return-link';
import { jsonForScript, structuredData } from './seo';

export interface BreadcrumbItem {
  text: string;
  href: string;
}

export interface Card {
  href: string;
  clickable: true;
  heading: { text: string };
  description: { text: string };
}

export interface ContentsItem {
  href: string;
  text: string;
}

/** Breadcrumb items for the nhsuk breadcrumb macro: every ancestor, home first. */
export function breadcrumbItems(site: Site, page: Page): BreadcrumbItem[] {
  return site.ancestorsOf(page).map((hub) => ({
    text: hub === site.home ? 'Home' : (hub.shortTitle ?? hub.title),
    href: hub.url,
  }));
}

/** A card for the nhsuk card macro, linking to a hub or article. */
export function cardFor(page: Page): Card {
  return { href: page.url, clickable: true, heading: { text: page.title }, description: { text: page.subtitle } };
}

/** Contents-list items: the article's h2 sections. */
export function contentsItems(article: Article | Hub): ContentsItem[] {
  return article.headings.filter((h) => h.level === 2).map((h) => ({ href: `#${h.id}`, text: h.text }));
}

/** Made when first needed: loading its locale data takes 15–35 ms, which start-up need not wait for. */
let dateFormat: Intl.DateTimeFormat | undefined;

export function formatDate(date: Date | undefined): string | undefined {
  if (!date) return undefined;
  dateFormat ??= new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return dateFormat.format(date);
}

export interface SiteContext {
  baseUrl: string;
  siteName: string;
  /** Staging: robots.txt disallows everything and pages say noindex. */
  robotsDisallowAll?: boolean;
  /** Services a patient can go back to (`?from=<id>`), from content/_data/services.yml. */
  returnLinks?: ReadonlyMap<string, ReturnLink>;
}

export interface RelatedItem {
  href: string;
  text: string;
}

/** Everything a layout needs to show one hub or article. */
export function pageView(
  site: Site,
  page: Page,
  context: SiteContext,
  renderLink?: (code: string) => string,
  returnTo?: ReturnLink,
): Record<string, unknown> {
  const isHome = page === site.home;
  const owned = ownedSections(site, page);
  return {
    page,
    html: renderLink && owned.size ? withReferenceLinks(site.htmlOf(page), owned, renderLink) : site.htmlOf(page),
    pageTitle: isHome ? undefined : page.title,
    description: page.subtitle,
    canonical: canonicalUrl(context.baseUrl, page.url),
    breadcrumbs: isHome ? undefined : breadcrumbItems(site, page),
    cards: page.kind === 'hub' ? page.children.map(cardFor) : undefined,
    contents: page.kind === 'article' ? contentsItems(page) : undefined,
    related: page.kind === 'article' ? relatedPages(site, page).map((p): RelatedItem => ({ href: p.url, text: p.title })) : undefined,
    returnTo,
    structuredData: jsonForScript(structuredData(site, page, context.baseUrl, context.siteName)),
    robotsNoindex: context.robotsDisallowAll,
    reviewed: formatDate(page.reviewed),
    nextReview: formatDate(page.nextReview),
  };
}

/** Sections on a page that own reference codes: heading id -> codes, in code order. */
export function ownedSections(site: Site, page: Page): Map<string, string[]> {
  const owned = new Map<string, string[]>();
  for (const owner of site.codes.values()) {
    if (owner.page !== page) continue;
    owned.set(owner.section.id, [...(owned.get(owner.section.id) ?? []), owner.code]);
  }
  return owned;
}

/**
 * Puts a "Share link to this section" control under each heading that owns a code. Headings carry
 * ids from our own markdown rule, so `id="…"` finds exactly one heading.
 */
export function withReferenceLinks(html: string, owned: Map<string, string[]>, renderLink: (code: string) => string): string {
  let result = html;
  for (const [id, codes] of owned) {
    const open = new RegExp(`<h([23]) id="${id}">`).exec(result);
    if (!open) continue;
    const closeTag = `</h${open[1]}>`;
    const close = result.indexOf(closeTag, open.index) + closeTag.length;
    result = `${result.slice(0, close)}\n${codes.map(renderLink).join('\n')}${result.slice(close)}`;
  }
  return result;
}
