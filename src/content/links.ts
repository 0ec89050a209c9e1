import type { Heading } from './markdown';
import { nearest } from './nearest';
import { normaliseCode } from './reference-codes';

/** Paths served by routes rather than content, that content may link to. */
export const ROUTE_PATHS = new Set(['/search', '/cid', '/cid.json', '/contact', '/sitemap.xml']);

/** Ids every page has besides its headings: the skip link's target and the top of the page. */
const PAGE_IDS = new Set(['maincontent', 'top']);

/** A page as links see it: its URL, its heading ids and its section aliases. */
export interface LinkPage {
  url: string;
  headings: Heading[];
  sectionAliases: Map<string, string>;
}

/** What a link can land on: pages with their headings and aliases, redirects and codes. */
export interface LinkTargets {
  byUrl: Map<string, LinkPage>;
  /** Old URL (redirect_from) -> the page it now answers with. */
  redirects: Map<string, LinkPage>;
  /** Codes a section explains, and codes marked retired. */
  hasCode(code: string): boolean;
}

/**
 * A link whose path is letters, digits, `_`, `-` and `/` only (no `.` segments, escapes or
 * query), with or without an `#id` of letters, digits, `_` and `-`: its path and fragment are
 * what `new URL` would give.
 */
const PLAIN_LINK = /^(\/[\w/-]*)(?:#([\w-]*))?$/;

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function fragmentProblem(href: string, fragment: string, page: LinkPage): string | undefined {
  if (!fragment || PAGE_IDS.has(fragment) || page.headings.some((h) => h.id === fragment) || page.sectionAliases.has(fragment)) return undefined;
  const suggestion = nearest(fragment, page.headings.map((h) => h.id));
  return `link "${href}" goes to #${fragment}, which is not a heading on ${page.url}${suggestion ? ` (did you mean #${suggestion}?)` : ''}`;
}

/**
 * Why an internal link does not resolve, or undefined when it does (or is external). `from` is the
 * page the link is on, for links within the page (`#section`). A failed link names the nearest
 * existing page or heading.
 */
export function checkLink(targets: LinkTargets, href: string, from?: LinkPage): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return undefined;
  // Most links are a plain path, perhaps with a plain #id, which a URL would give back unchanged.
  const plain = PLAIN_LINK.exec(href);
  let url: URL | undefined;
  if (!plain) {
    try {
      url = new URL(href, 'http://site.invalid/');
    } catch {
      return `link "${href}" is not a valid address`;
    }
  }
  const path = url ? url.pathname : plain![1]!;
  const fragment = url ? safeDecode(url.hash.slice(1)) : (plain![2] ?? '');
  if (fragment === undefined) return `link "${href}" has a malformed #fragment`;

  const cid = /^\/cid\/([^/]+)$/.exec(path);
  if (cid) {
    const code = normaliseCode(safeDecode(cid[1]!));
    return code && targets.hasCode(code) ? undefined : `link "${href}" names a reference code no section explains`;
  }
  if (path === '/contact') {
    const error = url ? url.searchParams.get('error') : null;
    if (error === null) return undefined;
    const code = normaliseCode(error);
    return code && targets.hasCode(code) ? undefined : `contact link "${href}" names ${error}, which no section explains`;
  }
  if (ROUTE_PATHS.has(path)) return undefined;
  if (href.startsWith('#')) return from ? fragmentProblem(href, fragment, from) : undefined;
  if (href.startsWith('?') || href === '') return undefined;

  const target = targets.byUrl.get(path) ?? targets.redirects.get(path);
  if (!target) {
    const suggestion = nearest(path, [...targets.byUrl.keys()]);
    return `link "${href}" goes to ${path}, which is not a page${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
  }
  return fragmentProblem(href, fragment, target);
}
