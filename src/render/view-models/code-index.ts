import { canonicalUrl, sectionUrl } from '../../content/urls';
import type { Site } from '../../content/site';

export interface CodeEntry {
  code: string;
  /** The section's own URL: `<article URL>#<heading id>`. */
  url: string;
  /** The link to share, which survives content moves: `BASE_URL/cid/<code>`. */
  shareUrl: string;
  heading: string;
  article: string;
}

/** Every reference code in numeric order, with where it is explained. */
export function codeEntries(site: Site, baseUrl: string): CodeEntry[] {
  return [...site.codes.values()].map((owner) => ({
    code: owner.code,
    url: canonicalUrl(baseUrl, sectionUrl(owner.page.url, owner.section.id)),
    shareUrl: canonicalUrl(baseUrl, `/cid/${owner.code}`),
    heading: owner.section.text,
    article: owner.page.title,
  }));
}
