import type { Site } from '../content/site';
import { normaliseCode } from '../content/reference-codes';
import type { Logger } from '../logger';
import { parseCookies } from './csrf';
import { enqueueMessage } from './enqueue';
import type { FieldError, FormValues } from './form';
import { isHoneypotFilled, readFormValues, validateContact } from './form';
import { withTimeout } from './outbox';
import { newMessageReference } from './reference';
import type { ContactDependencies } from './setup';

/** The reference a visitor came with: a known code with its section heading, or a well-formed code as typed. */
export function referenceFor(site: Site, input: unknown): { code: string; heading?: string } | undefined {
  if (typeof input !== 'string') return undefined;
  const code = normaliseCode(input);
  if (!code) return undefined;
  const owner = site.codes.get(code);
  return { code, heading: owner?.section.text };
}

/** A posted contact form, as the route hands it over. */
export interface Submission {
  body: unknown;
  /** The Cookie header. */
  cookie: unknown;
  /** Whether the form was posted from a page of this site (Sec-Fetch-Site, else Origin). */
  fromThisSite: boolean;
  /** The client address the rate limit counts (what TRUST_PROXY yields). */
  client: string;
  site: Site;
}

/** What became of a post: each kind is one page the route renders. */
export type SubmitOutcome =
  | { kind: 'forbidden'; reason: 'origin' | 'token' }
  | { kind: 'too-many'; retryAfterSeconds: number }
  | { kind: 'invalid'; values: FormValues; errors: FieldError[] }
  | { kind: 'not-stored'; values: FormValues }
  | { kind: 'accepted'; reference: string };

/**
 * The contact form's checks and the enqueue, in order: the Origin and the form token, the
 * honeypot, every field, the rate limit, then the outbox (within `storeTimeoutMs`). The
 * patient is told "sent" only when the message is stored.
 */
export async function submitContact(
  deps: ContactDependencies,
  submission: Submission,
  options: { siteOrigin: string; storeTimeoutMs: number; logger: Logger },
): Promise<SubmitOutcome> {
  if (!submission.fromThisSite) return { kind: 'forbidden', reason: 'origin' };
  const body = submission.body && typeof submission.body === 'object' ? (submission.body as Record<string, unknown>) : {};
  const cookie = parseCookies(submission.cookie).get(deps.tokens.cookieName);
  if (!deps.tokens.verify(cookie, body._csrf)) return { kind: 'forbidden', reason: 'token' };

  const values = readFormValues(body);
  if (isHoneypotFilled(body)) {
    // Answered like a real message, so a script learns nothing; nothing is stored.
    const wait = await deps.limiter.take(submission.client).catch(() => 0);
    return wait > 0 ? { kind: 'too-many', retryAfterSeconds: wait } : { kind: 'accepted', reference: newMessageReference() };
  }
  const { details, errors } = validateContact(values, deps.services);
  if (!details) return { kind: 'invalid', values, errors };

  const referenceCode = referenceFor(submission.site, values.code);
  let stored: { id: string; reference: string };
  try {
    const wait = await withTimeout('the rate limit', options.storeTimeoutMs, deps.limiter.take(submission.client));
    if (wait > 0) return { kind: 'too-many', retryAfterSeconds: wait };
    const work = enqueueMessage(deps.outbox, { ...details, ...(referenceCode ? { referenceCode } : {}) });
    stored = await withTimeout('storing a message', options.storeTimeoutMs, work);
  } catch (error) {
    // Nothing was stored, or we cannot know: say so, and keep everything they typed.
    options.logger.error({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'could not store a message');
    return { kind: 'not-stored', values };
  }
  deps.notify();
  options.logger.info({ messageId: stored.id, reference: stored.reference }, 'message queued');
  return { kind: 'accepted', reference: stored.reference };
}
