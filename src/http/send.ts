import type { Request, Response } from 'express';
import type { Encoding, PreparedBody } from '../render/prepared';
import { compressFast } from '../render/prepared';
import type { CachePolicy } from './cache';

/** The encodings a client accepts, in the order we prefer them: br, then gzip. */
export function acceptedEncodings(acceptEncoding: string | undefined): readonly Encoding[] {
  if (!acceptEncoding) return NONE;
  let known = recentlyAccepted.get(acceptEncoding);
  if (!known) {
    known = parseAcceptEncoding(acceptEncoding);
    // Browsers send a handful of distinct values; a client sending a new one each time only clears this.
    if (recentlyAccepted.size >= 64) recentlyAccepted.clear();
    if (acceptEncoding.length <= 256) recentlyAccepted.set(acceptEncoding, known);
  }
  return known;
}

const NONE: readonly Encoding[] = Object.freeze([]);
const recentlyAccepted = new Map<string, readonly Encoding[]>();

function parseAcceptEncoding(acceptEncoding: string): readonly Encoding[] {
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=(\S*)\s*$/.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    // A q-value that is not a number from 0 to 1 is invalid: that coding is not accepted.
    accepted.set(name!.trim(), /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q ? q[1]! : '1') ? weight : 0);
  }
  const weight = (name: string): number => accepted.get(name) ?? accepted.get('*') ?? 0;
  return Object.freeze((['br', 'gzip'] as const).filter((name) => weight(name) > 0));
}

/** Whether If-None-Match names one of the ETags (weak comparison, as RFC 9110 asks for it). */
function matchesEtag(header: string | undefined, etags: string[]): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => etags.includes(tag.trim().replace(/^W\//, '')));
}

/**
 * The ETag to answer a conditional request with 304, or undefined to send the body. The ETag of
 * an encoding's best form also matches before that form is made (after a restart, say): it names
 * bytes that never change, so the client's copy is current.
 */
export function notModifiedEtag(prepared: PreparedBody, chosen: Chosen | undefined, ifNoneMatch: string | undefined): string | undefined {
  if (!ifNoneMatch) return undefined;
  const etag = chosen ? chosen.form.etag : prepared.etag;
  const best = chosen ? prepared.bestEtag(chosen.encoding) : prepared.etag;
  if (!matchesEtag(ifNoneMatch, [etag, best])) return undefined;
  return matchesEtag(ifNoneMatch, [etag]) ? etag : best;
}

type Chosen = NonNullable<ReturnType<PreparedBody['representation']>>;

/** Sends a prepared body with the ETag of the form sent, answering 304 to a matching If-None-Match (see notModifiedEtag). */
export function sendPrepared(req: Request, res: Response, prepared: PreparedBody, cacheControl: CachePolicy, status = 200): void {
  res.status(status);
  res.setHeader('Content-Type', prepared.type);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  const chosen = prepared.representation(acceptedEncodings(req.headers['accept-encoding']));
  const notModified = status === 200 ? notModifiedEtag(prepared, chosen, req.headers['if-none-match']) : undefined;
  if (notModified) {
    res.setHeader('ETag', notModified);
    res.status(304).end();
    return;
  }
  res.setHeader('ETag', chosen ? chosen.form.etag : prepared.etag);
  const body = chosen ? chosen.form.bytes : prepared.body;
  if (chosen) res.setHeader('Content-Encoding', chosen.encoding);
  res.setHeader('Content-Length', String(body.length));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** A page made for requests, and each compressed form of it made so far (at the fast level). */
export class DynamicBody {
  private readonly forms = new Map<Encoding, Buffer>();
  constructor(private readonly raw: Buffer) {}

  static of(html: string): DynamicBody {
    return new DynamicBody(Buffer.from(html, 'utf8'));
  }

  form(encoding: Encoding | undefined): Buffer {
    if (!encoding) return this.raw;
    let form = this.forms.get(encoding);
    if (!form) {
      form = compressFast(this.raw, encoding);
      this.forms.set(encoding, form);
    }
    return form;
  }
}

/** The encoding a dynamic page is sent in: gzip when accepted (it is the quicker to make), else the client's first, else none. */
export function dynamicEncoding(accepted: readonly Encoding[]): Encoding | undefined {
  return accepted.includes('gzip') ? 'gzip' : accepted[0];
}

/**
 * Sends a page made for this request (search results, errors, forms), compressed at a fast
 * level when the client accepts it (gzip first: it is the quicker to make), with no ETag.
 */
export function sendDynamic(
  req: Request,
  res: Response,
  html: string | DynamicBody,
  cacheControl: CachePolicy,
  status = res.statusCode,
): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  const encoding = dynamicEncoding(acceptedEncodings(req.headers['accept-encoding']));
  const body = (typeof html === 'string' ? DynamicBody.of(html) : html).form(encoding);
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', String(body.length));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** Renders a view for this request and sends it with sendDynamic; a render error goes to the error handler. */
export function renderDynamic(
  req: Request,
  res: Response,
  view: string,
  locals: Record<string, unknown>,
  cacheControl: CachePolicy,
  status = res.statusCode,
): void {
  res.app.render(view, { ...res.locals, ...locals }, (error: Error | null, html?: string) => {
    if (error) req.next!(error);
    else sendDynamic(req, res, html!, cacheControl, status);
  });
}

/**
 * A redirect with no body: what `res.redirect` sends, less its content negotiation for a
 * "Redirecting to" body that no browser shows. Spaces and characters beyond ASCII in `location`
 * are percent-encoded; `%` is left alone, as Express does.
 */
export function sendRedirect(res: Response, status: 301 | 302 | 303 | 307 | 308, location: string): void {
  res.statusCode = status;
  res.setHeader('Location', locationHeader(location));
  res.setHeader('Content-Length', '0');
  res.end();
}

/** A Location header value: spaces and characters beyond ASCII percent-encoded, `%` left alone (as Express does). */
export function locationHeader(location: string): string {
  return /^[\x21-\x7e]*$/.test(location) ? location : location.replace(/[^\x21-\x7e]+/g, encodeURIComponent);
}
