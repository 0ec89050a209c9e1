import v8 from 'node:v8';
import type nunjucks from 'nunjucks';
import type { Assets } from './assets';
import { buildAssets, siteAssetSources } from './assets';
import type { Config } from '../config';
import type { Service } from '../contact/services';
import { loadServices } from '../contact/services';
import { ContentError } from '../content/errors';
import type { RenderOptions, RenderedSite } from './rendered-site';
import { keepsHtml, renderSite } from './rendered-site';
import { createViews } from './views';
import type { SiteContext } from './view-models/page-view';
import { returnLinksFor } from './view-models/return-link';
import type { ParsedFiles } from './parse-options';
import { parseContent } from './parse-in-workers';

export const SITE_NAME = 'NHS login help centre';

export interface Startup {
  views: nunjucks.Environment;
  assets: Assets;
  context: SiteContext;
  rendered: RenderedSite;
  /** The websites and apps the contact form offers, from content/_data/services.yml; undefined if it has none. */
  services: Service[] | undefined;
}

/** Runs each loader and throws one ContentError listing every problem they found. */
function loadAll<A, B>(first: () => A, second: () => B): [A, B] {
  const problems: ContentError['problems'] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const a = attempt(first);
  const b = attempt(second);
  if (problems.length > 0) throw new ContentError(problems);
  return [a as A, b as B];
}

/** How start-up renders the site: reusable by later builds in development mode. */
const renderOptions = (config: Config, parsed?: ParsedFiles): RenderOptions => ({ reusable: config.watch, parsed });

/** Views, assets and the rendered site for a config: everything createApp needs but the logger. */
export function startUp(config: Config, parsed?: ParsedFiles): Startup {
  const views = createViews(config.viewsDir, { watch: config.watch, compiled: parsed?.views });
  const assets = buildAssets(siteAssetSources(config.publicDir));
  const context: SiteContext = { baseUrl: config.baseUrl, siteName: SITE_NAME, robotsDisallowAll: config.robotsDisallowAll };
  views.addGlobal('siteName', SITE_NAME);
  views.addGlobal('assets', assets);
  const [rendered, services] = loadAll(
    () => renderSite(config.contentDir, config.viewsDir, views, context, renderOptions(config, parsed)),
    () => loadServices(config.contentDir),
  );
  // Read when a page is first asked for with ?from=, so the services can load after the pages.
  context.returnLinks = returnLinksFor(services);
  return { views, assets, context, rendered, services };
}

/**
 * startUp for the server: outside development mode, a large content folder is parsed on every
 * core (see parseContent) before the site is built from it, and a worker compiles the page
 * templates meanwhile.
 */
export async function startServer(config: Config): Promise<Startup> {
  if (config.watch) return startUp(config);
  const parsed = await parseContent(config.contentDir, config.viewsDir, keepsHtml(renderOptions(config)));
  const startup = startUp(config, parsed);
  // Compiled by then, on the other core, while the site was built: the first pages need not compile them.
  await parsed.views;
  return startup;
}

/** A heap that holds more than this when the server is about to listen is left as it is (see releaseStartUpGarbage). */
export const RELEASE_BELOW_BYTES = 128 * 1024 * 1024;

/** V8's gc(), which `--expose-gc` makes global: options choose the kind of collection. */
export type Collect = (options?: { type: 'major'; flavor: 'last-resort' }) => void;

/**
 * Gives the system back what start-up's garbage holds, just before the server listens. Parsing
 * leaves the heap about twice the size of what it keeps (at 1,000 generated articles, 65 MB of
 * heap for 33 MB live), and V8 keeps those pages. So with `--expose-gc` (npm start and the image
 * run with it) and a heap under RELEASE_BELOW_BYTES, V8's last-resort collection is made: it
 * compacts the heap and unmaps the free pages. On Node 24 at 1,000 articles, RSS at ready was
 * 117-131 MB against 151-165 MB, for 80-100 ms of start-up. Node 20's V8 does not know that
 * flavour and makes no full collection for it; there, two ordinary full collections would give
 * the pages back too (114 MB against 135 MB), but they cost as much time and Node 20 is within
 * its memory without them, so they are not made. A larger heap is left alone: it takes long to
 * collect, and the tight limit V8 sets after such collections made the full ones that followed
 * under load hold search and 404 p99s at 100-230 ms at 10,000 articles. True when it collected.
 */
export function releaseStartUpGarbage(
  collect = (globalThis as { gc?: Collect }).gc,
  heap: () => Pick<v8.HeapInfo, 'used_heap_size'> = v8.getHeapStatistics,
): boolean {
  if (typeof collect !== 'function' || heap().used_heap_size > RELEASE_BELOW_BYTES) return false;
  collect({ type: 'major', flavor: 'last-resort' });
  return true;
}
