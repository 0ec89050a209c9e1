import { canonicalUrl } from '../config';
import type { Article, Hub, Page, Site } from '../content/site';

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

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function formatDate(date: Date | undefined): string | undefined {
  return date ? DATE_FORMAT.format(date) : undefined;
}

export interface SiteContext {
  baseUrl: string;
  siteName: string;
}

/** Everything a layout needs to show one hub or article. */
export function pageView(site: Site, page: Page, context: SiteContext): Record<string, unknown> {
  const isHome = page === site.home;
  return {
    page,
    pageTitle: isHome ? undefined : page.title,
    description: page.subtitle,
    canonical: canonicalUrl(context.baseUrl, page.url),
    breadcrumbs: isHome ? undefined : breadcrumbItems(site, page),
    cards: page.kind === 'hub' ? page.children.map(cardFor) : undefined,
    contents: page.kind === 'article' ? contentsItems(page) : undefined,
    reviewed: formatDate(page.reviewed),
    nextReview: formatDate(page.nextReview),
  };
}
