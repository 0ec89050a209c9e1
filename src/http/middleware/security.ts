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

/** helmet with a strict CSP: our own files, the template's one script by hash, and NHS fonts. */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
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
  });
}
