import { backoffDelay, retryDelay } from '../../src/contact/backoff';
import { createFormTokens, parseCookies } from '../../src/contact/csrf';
import { createRateLimiter } from '../../src/contact/rate-limit';
import { isMessageReference, newMessageReference, normaliseMessageReference } from '../../src/contact/reference';
import { classifyStatus, describeNetworkError, retryAfterMs, ticketRequest } from '../../src/contact/zendesk';
import type { OutboxMessage } from '../../src/contact/outbox';

describe('form tokens', () => {
  const tokens = createFormTokens({ secret: 's', https: false });

  it('accepts the token made for the cookie, and nothing else', () => {
    const cookie = tokens.newCookieValue();
    const other = tokens.newCookieValue();
    expect(tokens.verify(cookie, tokens.tokenFor(cookie))).toBe(true);
    expect(tokens.verify(cookie, tokens.tokenFor(other))).toBe(false);
    expect(tokens.verify(cookie, cookie)).toBe(false);
    expect(tokens.verify(undefined, tokens.tokenFor(cookie))).toBe(false);
    expect(tokens.verify(cookie, undefined)).toBe(false);
    expect(tokens.verify(cookie, [tokens.tokenFor(cookie)])).toBe(false);
  });

  it('depends on the secret', () => {
    const cookie = tokens.newCookieValue();
    expect(createFormTokens({ secret: 'other', https: false }).verify(cookie, tokens.tokenFor(cookie))).toBe(false);
  });

  it('sets a strict, HttpOnly cookie, with __Host- and Secure on https', () => {
    expect(tokens.setCookie('v')).toBe('contact-form=v; Path=/; HttpOnly; SameSite=Strict');
    expect(createFormTokens({ secret: 's', https: true }).setCookie('v')).toBe(
      '__Host-contact-form=v; Path=/; HttpOnly; SameSite=Strict; Secure',
    );
  });
});

describe('parseCookies', () => {
  it.each([
    [
      'a=1; b=2',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    ['a=1; a=2', [['a', '1']]],
    ['a="quoted"', [['a', 'quoted']]],
    ['junk; =x; b=', [['b', '']]],
    [undefined, []],
  ])('%j', (header, expected) => expect([...parseCookies(header)]).toEqual(expected));
});

describe('rate limiter', () => {
  it('allows max messages per window per client, then says how long to wait', () => {
    let now = 0;
    const limiter = createRateLimiter({ max: 2, windowMs: 600_000, now: () => now });
    limiter.record('a');
    now = 60_000;
    limiter.record('a');
    expect(limiter.retryAfter('a')).toBe(540);
    expect(limiter.retryAfter('b')).toBe(0);
    now = 600_001;
    expect(limiter.retryAfter('a')).toBe(0);
  });

  it('forgets the least recently seen clients beyond its size', () => {
    const limiter = createRateLimiter({ max: 1, windowMs: 1000, now: () => 0, maxClients: 2 });
    limiter.record('a');
    limiter.record('b');
    limiter.record('c');
    expect(limiter.retryAfter('a')).toBe(0);
    expect(limiter.retryAfter('c')).toBe(1);
  });
});

describe('backoff', () => {
  const options = { baseDelayMs: 1000, maxDelayMs: 60_000 };
  it.each([
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [7, 0, 30_000],
    [8, 0, 30_000],
    [20, 1 - 1e-9, 60_000],
  ])('after %i failures with random %d waits %i ms', (failures, random, expected) => {
    expect(backoffDelay(failures, options, () => random)).toBe(expected);
  });

  it('waits at least as long as the server asks, up to the cap', () => {
    expect(retryDelay(1, options, 5000, () => 0)).toBe(5000);
    expect(retryDelay(1, options, 600_000, () => 0)).toBe(60_000);
    expect(retryDelay(1, options, undefined, () => 0)).toBe(500);
  });
});

describe('message references', () => {
  it('look like HC-7Q4K-2M, without I, L, O or U', () => {
    for (let i = 0; i < 200; i += 1) {
      const reference = newMessageReference();
      expect(reference).toMatch(/^HC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
      expect(isMessageReference(reference)).toBe(true);
    }
  });

  it.each([
    ['HC-7Q4K-2M', 'HC-7Q4K-2M'],
    ['hc 7q4k 2m', 'HC-7Q4K-2M'],
    ['HC7Q4K2M', 'HC-7Q4K-2M'],
    ['HC-7Q4K-2I', undefined],
    ['HC-7Q4K', undefined],
    ['<b>', undefined],
  ])('normalises %j to %j', (input, expected) => expect(normaliseMessageReference(input)).toBe(expected));
});

describe('ticket system answers', () => {
  it.each([
    [200, 'ok'],
    [201, 'ok'],
    [301, 'retry'],
    [400, 'rejected'],
    [401, 'retry'],
    [403, 'retry'],
    [404, 'retry'],
    [408, 'retry'],
    [422, 'rejected'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('%i is %s', (status, verdict) => expect(classifyStatus(status)).toBe(verdict));

  it.each([
    [Object.assign(new Error('t'), { name: 'TimeoutError' }), 'timeout'],
    [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'connection refused'],
    [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }), 'ENOTFOUND'],
    [Object.assign(new TypeError('fetch failed'), { cause: { code: 'sam@example.com' } }), 'network error'],
  ])('names a network failure without detail: %s', (error, name) => expect(describeNetworkError(error)).toBe(name));

  it.each([
    ['30', 30_000],
    [null, undefined],
    ['Wed, 21 Oct 2015 07:28:00 GMT', undefined],
  ])('Retry-After %j is %j ms', (header, ms) => expect(retryAfterMs(header)).toBe(ms));

  it('sends the message id as external_id and every detail in the ticket', () => {
    const message: OutboxMessage = {
      id: 'c0ffee',
      reference: 'HC-7Q4K-2M',
      createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      status: 'queued',
      attempts: 0,
      nextAttemptAt: 0,
      payload: {
        fullName: 'Sam Patient',
        email: 'sam@example.com',
        service: { id: 'nhs-app', name: 'NHS App' },
        problem: { value: 'logging-in', text: 'Logging in' },
        description: 'It broke.',
        referenceCode: { code: 'CID3006', heading: 'Expired link' },
      },
    };
    expect(ticketRequest(message)).toEqual({
      request: {
        subject: 'Logging in – NHS App (HC-7Q4K-2M)',
        requester: { name: 'Sam Patient', email: 'sam@example.com' },
        external_id: 'c0ffee',
        comment: {
          body: [
            'Message reference: HC-7Q4K-2M',
            'Reference code: CID3006 – Expired link',
            'Website or app: NHS App (nhs-app)',
            'Problem: Logging in (logging-in)',
            'Name: Sam Patient',
            'Email: sam@example.com',
            'Sent: 2026-01-02T03:04:05.000Z',
            '',
            'It broke.',
          ].join('\n'),
        },
      },
    });
  });
});
