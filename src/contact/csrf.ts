import crypto from 'node:crypto';

/**
 * Form tokens tied to a cookie. The browser holds a random value in an HttpOnly, SameSite=Strict
 * cookie; the form carries an HMAC of that value. Another site can neither read the cookie nor
 * make the browser send it, so it cannot make a token that matches.
 */

const VALUE = /^[A-Za-z0-9_-]{43}$/;

export interface FormTokens {
  cookieName: string;
  /** A fresh cookie value. */
  newCookieValue(): string;
  /** True when a cookie value is one we could have issued. */
  isCookieValue(value: unknown): value is string;
  tokenFor(cookieValue: string): string;
  /** Checks a posted token against the cookie, in constant time. */
  verify(cookieValue: unknown, token: unknown): boolean;
  /** The Set-Cookie header value for a cookie value. */
  setCookie(value: string): string;
}

/** `https` decides the cookie's name and flags: `__Host-` and Secure on https sites. */
export function createFormTokens(options: { secret: string; https: boolean }): FormTokens {
  const key = crypto.createHash('sha256').update(`contact-form-tokens:${options.secret}`).digest();
  const cookieName = options.https ? '__Host-contact-form' : 'contact-form';
  const tokenFor = (cookieValue: string): string => crypto.createHmac('sha256', key).update(cookieValue).digest('base64url');
  const isCookieValue = (value: unknown): value is string => typeof value === 'string' && VALUE.test(value);
  return {
    cookieName,
    newCookieValue: () => crypto.randomBytes(32).toString('base64url'),
    isCookieValue,
    tokenFor,
    verify(cookieValue, token) {
      if (!isCookieValue(cookieValue) || typeof token !== 'string' || !VALUE.test(token)) return false;
      return crypto.timingSafeEqual(Buffer.from(tokenFor(cookieValue)), Buffer.from(token));
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
