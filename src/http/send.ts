import type { Request, Response } from 'express';
import type { PreparedBody } from '../render/prepared';
import type { CachePolicy } from './cache';

/** Picks the best encoding the client accepts: br, then gzip, then none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=(\S*)\s*$/.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    // A q-value that is not a number from 0 to 1 is invalid: that coding is not accepted.
    accepted.set(name!.trim(), /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q ? q[1]! : '1') ? weight : 0);
  }
  const weight = (name: string): number => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

/** The strong ETag of one encoding of a body: each representation has its own. */
export function etagFor(prepared: PreparedBody, encoding: 'br' | 'gzip' | undefined): string {
  return encoding ? `${prepared.etag.slice(0, -1)}-${encoding}"` : prepared.etag;
}

/** Whether If-None-Match names the ETag being sent (weak comparison, as RFC 9110 asks for it). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Sends a prepared body with its ETag, answering 304 to a matching If-None-Match. */
export function sendPrepared(req: Request, res: Response, prepared: PreparedBody, cacheControl: CachePolicy, status = 200): void {
  res.status(status);
  res.setHeader('Content-Type', prepared.type);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const etag = etagFor(prepared, encoding);
  res.setHeader('ETag', etag);
  if (status === 200 && matchesEtag(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  const body = encoding ? prepared[encoding] : prepared.body;
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', String(body.length));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}
