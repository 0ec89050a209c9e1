import crypto from 'node:crypto';

/**
 * Form tokens tied to a cookie. The browser holds a random value in an HttpOnly, SameSite=Strict
 * cookie; the form carries an HMAC of that value. Another site can neither read the cookie nor
 * make the browser send it, so it cannot make a token that matches.
 *
 * A token is also bound to its form and to a period of `ttlMs`: it is accepted in the period it
 * was made and the next one, so a form works for at least `ttlMs` and at most twice that.
 *
 * Each form shown gets a token of its own: a random nonce and the HMAC of the nonce, the cookie
 * value, the form and the period (`<nonce>.<hmac>`). `check` gives the token's identity, a hash
 * of the form and the nonce, so that the outbox can accept one message per token. Reloading the
 * page gives a new token; the old one still works until it is used or expires.
 */

const VALUE = /^[A-Za-z0-9_-]{43}$/;
const NONCE = /^[A-Za-z0-9_-]{22}$/;

/** A token that passed the checks: who it is (never the token itself) and until when it works. */
export interface CheckedToken {
  /** A hash of the form and the token's nonce: the same for every post of one form shown. */
  id: string;
  /** When the token stops being accepted (ms since 1970), so its record can be deleted then. */
  expiresAt: number;
  /**
   * A digest of what was posted, keyed by the token's nonce, so two posts of one form can be
   * compared without keeping anything that could be read back without the token.
   */
  digest(content: string): string;
}

export interface FormTokens {
  cookieName: string;
  /** A fresh cookie value. */
  newCookieValue(): string;
  /** True when a cookie value is one we could have issued. */
  isCookieValue(value: unknown): value is string;
  /** The token for a cookie and a form (the contact form unless named), made now. */
  tokenFor(cookieValue: string, form?: string): string;
  /** Checks a posted token against the cookie, the form and its age, in constant time. */
  verify(cookieValue: unknown, token: unknown, form?: string): boolean;
  /** As `verify`, and gives the token's identity: undefined when it is not accepted. */
  check(cookieValue: unknown, token: unknown, form?: string): CheckedToken | undefined;
  /** The Set-Cookie header value for a cookie value. */
  setCookie(value: string): string;
}

export const CONTACT_FORM = 'contact';

/** `https` decides the cookie's name and flags: `__Host-` and Secure on https sites. */
export function createFormTokens(options: { secret: string; https: boolean; ttlMs?: number; now?: () => number }): FormTokens {
  const key = crypto.createHash('sha256').update(`contact-form-tokens:${options.secret}`).digest();
  const cookieName = options.https ? '__Host-contact-form' : 'contact-form';
  const ttlMs = options.ttlMs ?? 2 * 60 * 60_000;
  const now = options.now ?? Date.now;
  const period = (): number => Math.floor(now() / ttlMs);
  const macIn = (cookieValue: string, form: string, at: number, nonce: string): string =>
    crypto.createHmac('sha256', key).update(`${form}\n${at}\n${nonce}\n${cookieValue}`).digest('base64url');
  const isCookieValue = (value: unknown): value is string => typeof value === 'string' && VALUE.test(value);
  const check = (cookieValue: unknown, token: unknown, form: string): CheckedToken | undefined => {
    if (!isCookieValue(cookieValue) || typeof token !== 'string' || token.length !== 66 || token[22] !== '.') return undefined;
    const nonce = token.slice(0, 22);
    const mac = token.slice(23);
    if (!NONCE.test(nonce) || !VALUE.test(mac)) return undefined;
    const posted = Buffer.from(mac);
    const current = period();
    // Both compared every time, so the answer takes as long whichever period matched.
    const matches = [current, current - 1].map((at) => crypto.timingSafeEqual(Buffer.from(macIn(cookieValue, form, at, nonce)), posted));
    const madeIn = matches[0] ? current : matches[1] ? current - 1 : undefined;
    if (madeIn === undefined) return undefined;
    return {
      id: crypto.createHash('sha256').update(`form-token\n${form}\n${nonce}`).digest('base64url'),
      expiresAt: (madeIn + 2) * ttlMs,
      digest: (content) => crypto.createHmac('sha256', nonce).update(content).digest('base64url'),
    };
  };
  return {
    cookieName,
    newCookieValue: () => crypto.randomBytes(32).toString('base64url'),
    isCookieValue,
    tokenFor(cookieValue, form = CONTACT_FORM) {
      const nonce = crypto.randomBytes(16).toString('base64url');
      return `${nonce}.${macIn(cookieValue, form, period(), nonce)}`;
    },
    verify: (cookieValue, token, form = CONTACT_FORM) => check(cookieValue, token, form) !== undefined,
    check: (cookieValue, token, form = CONTACT_FORM) => check(cookieValue, token, form),
    setCookie: (value) =>
      [`${cookieName}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', ...(options.https ? ['Secure'] : [])].join('; '),
  };
}

/** The cookies in a Cookie header, first value wins. Values are left as sent. */
export function parseCookies(header: unknown): Map<string, string> {
  const cookies = new Map<string, string>();
  if (typeof header !== 'string' || header.length > 8192) return cookies;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    const name = part.slice(0, equals).trim();
    const value = part
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
