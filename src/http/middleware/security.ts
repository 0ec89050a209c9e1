import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { nhsukDist } from '../../render/views';

/** The one inline script nhsuk-frontend's page template prints, as a CSP hash source. */
export function templateScriptHash(): string {
  const template = fs.readFileSync(path.join(nhsukDist, 'nhsuk', 'template.njk'), 'utf8');
  const scripts = [...template.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)];
  if (scripts.length !== 1) throw new Error(`Expected one inline script in nhsuk/template.njk, found ${scripts.length}`);
  return `'sha256-${crypto.createHash('sha256').update(scripts[0]![1]!).digest('base64')}'`;
}

export const FONT_HOST = 'https://assets.nhs.uk';

/** Browser features no page of ours uses, switched off for every page and anything it embeds. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'camera=()',
  'display-capture=()',
  'encrypted-media=()',
  'fullscreen=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'picture-in-picture=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
  'interest-cohort=()',
].join(', ');

/**
 * helmet with a strict CSP: our own files, the template's one script by hash, and NHS fonts.
 * No page may be framed: CSP says frame-ancestors 'none', and X-Frame-Options says DENY for
 * browsers that only know that header (SAMEORIGIN would contradict the CSP).
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", templateScriptHash()],
        styleSrc: ["'self'"],
        fontSrc: ["'self'", FONT_HOST],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });
  return (req, res, next) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    headers(req, res, next);
  };
}
