import type nunjucks from 'nunjucks';
import type { Assets } from './assets';
import { buildAssets, siteAssetSources } from './assets';
import type { Config } from './config';
import type { SiteBundle } from './load-site';
import { buildBundle } from './load-site';
import { createViews } from './nunjucks';
import type { SiteContext } from './view-models/page-view';

export const SITE_NAME = 'NHS login help centre';

export interface Runtime {
  views: nunjucks.Environment;
  assets: Assets;
  context: SiteContext;
  bundle: SiteBundle;
}

/** Views, assets and the rendered site for a config: everything createApp needs but the logger. */
export function buildRuntime(config: Config): Runtime {
  const views = createViews(config.viewsDir, { watch: config.watch });
  const assets = buildAssets(siteAssetSources(config.publicDir));
  const context: SiteContext = { baseUrl: config.baseUrl, siteName: SITE_NAME, robotsDisallowAll: config.robotsDisallowAll };
  views.addGlobal('siteName', SITE_NAME);
  views.addGlobal('assets', assets);
  const bundle = buildBundle(config.contentDir, config.viewsDir, views, context);
  return { views, assets, context, bundle };
}
