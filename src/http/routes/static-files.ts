import express, { Router } from 'express';
import type { Assets } from '../../render/assets';
import { ASSET_PREFIX, nhsukAssetsDir } from '../../render/assets';
import type { RenderedSite } from '../../render/rendered-site';
import { CACHE } from '../cache';
import { sendPrepared } from '../send';

/**
 * Our CSS, JS, icons and content images under /static/, each at a URL carrying a hash of its
 * content and cached for a year; nothing else on disk is served from there.
 */
export function staticFiles(assets: Assets, current: () => RenderedSite): Router {
  const router = Router();
  router.use((req, res, next) => {
    const asset = req.path.startsWith(ASSET_PREFIX) ? (assets.get(req.path) ?? current().images.get(req.path)) : undefined;
    return asset ? sendPrepared(req, res, asset, CACHE.immutable) : next();
  });
  // Pages load nhsuk-frontend's icons from /static/ with a content hash; this serves pages cached from before.
  router.use(
    '/assets',
    express.static(nhsukAssetsDir, { dotfiles: 'deny', index: false, redirect: false, maxAge: '1d', fallthrough: true }),
  );
  return router;
}
