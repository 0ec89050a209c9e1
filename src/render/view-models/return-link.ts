import type { Service } from '../../contact/services';

/** "Go back to <name>": where a patient who came from a website or app can return to. */
export interface ReturnLink {
  /** The service id, as carried in `?from=`. */
  id: string;
  name: string;
  href: string;
}

/** The query parameter that names the service a patient came from: `?from=nhs-app`. */
export const FROM_PARAM = 'from';

/** Every service with an address to go back to, by id. Known at build time, so variants are bounded. */
export function returnLinksFor(services: readonly Service[] | undefined): ReadonlyMap<string, ReturnLink> {
  const links = new Map<string, ReturnLink>();
  for (const service of services ?? []) {
    if (service.url) links.set(service.id, { id: service.id, name: service.name, href: service.url });
  }
  return links;
}

/**
 * The return link that `?from=` names, if it names a known service with an address. Anything
 * else (missing, repeated, unknown, wrong case) is undefined, so a query cannot create new pages.
 */
export function findReturnLink(links: ReadonlyMap<string, ReturnLink> | undefined, from: unknown): ReturnLink | undefined {
  return typeof from === 'string' ? links?.get(from) : undefined;
}

/** `path` with `?from=<id>` added before any #fragment: `/manage?from=nhs-app#top`. */
export function withFrom(path: string, link: ReturnLink | undefined): string {
  if (!link) return path;
  const hash = path.indexOf('#');
  const [base, fragment] = hash >= 0 ? [path.slice(0, hash), path.slice(hash)] : [path, ''];
  return `${base}${base.includes('?') ? '&' : '?'}${FROM_PARAM}=${encodeURIComponent(link.id)}${fragment}`;
}
