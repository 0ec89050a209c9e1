import crypto from 'node:crypto';

/**
 * Form tokens tied to a cookie. The browser holds a random value in an HttpOnly, SameSite=Strict
 * cookie; the form carries an HMAC of that value. Another site can neither read the cookie nor
 * make the browser send it, so it cannot make a token that matches.
 *
 * A token is also bound to its form and to a period of `ttlMs`: it is accepted in the period it
 * was made and the next one, so a form works for at least `ttlMs` and at most twice that. The
 * same page shown twice in a period carries the same token, so reloading breaks nothing.
 */

const VALUE = /^[A-Za-z0-9_-]{43}$/;

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
  const tokenIn = (cookieValue: string, form: string, at: number): string =>
    crypto.createHmac('sha256', key).update(`${form}\n${at}\n${cookieValue}`).digest('base64url');
  const isCookieValue = (value: unknown): value is string => typeof value === 'string' && VALUE.test(value);
  return {
    cookieName,
    newCookieValue: () => crypto.randomBytes(32).toString('base64url'),
    isCookieValue,
    tokenFor: (cookieValue, form = CONTACT_FORM) => tokenIn(cookieValue, form, period()),
    verify(cookieValue, token, form = CONTACT_FORM) {
      if (!isCookieValue(cookieValue) || typeof token !== 'string' || !VALUE.test(token)) return false;
      const posted = Buffer.from(token);
      const current = period();
      // Both compared every time, so the answer takes as long whichever period matched.
      const matches = [current, current - 1].map((at) => crypto.timingSafeEqual(Buffer.from(tokenIn(cookieValue, form, at)), posted));
      return matches.some(Boolean);
    },
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
