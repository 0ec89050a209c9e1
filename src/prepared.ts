import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { Request, Response } from 'express';

/** A response body prepared once: its ETag and its gzip and brotli forms are computed up front. */
export interface Prepared {
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

export function prepare(content: string | Buffer, type: string): Prepared {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return {
    type,
    body,
    gzip: zlib.gzipSync(body, { level: 9 }),
    br: zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

/** Picks the best encoding the client accepts: br, then gzip, then none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name!.trim(), q ? Number(q[1]) : 1);
  }
  const weight = (name: string): number => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

/** The strong ETag of one encoding of a body: each representation has its own. */
export function etagFor(prepared: Prepared, encoding: 'br' | 'gzip' | undefined): string {
  return encoding ? `${prepared.etag.slice(0, -1)}-${encoding}"` : prepared.etag;
}

function matchesEtag(header: string | undefined, prepared: Prepared): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const base = prepared.etag.slice(1, -1);
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return value === base || value === `${base}-br` || value === `${base}-gzip`;
  });
}

/** Sends a prepared body with its ETag, answering 304 to a matching If-None-Match. */
export function sendPrepared(req: Request, res: Response, prepared: Prepared, cacheControl: string, status = 200): void {
  res.status(status);
  res.setHeader('Content-Type', prepared.type);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  res.setHeader('ETag', etagFor(prepared, encoding));
  if (status === 200 && matchesEtag(req.headers['if-none-match'], prepared)) {
    res.status(304).end();
    return;
  }
  const body = encoding ? prepared[encoding] : prepared.body;
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', String(body.length));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}
