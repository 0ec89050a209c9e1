import type { Site } from '../content/site';
import { normaliseCode } from '../content/reference-codes';
import type { Logger } from '../logger';
import type { CheckedToken } from './csrf';
import { parseCookies } from './csrf';
import { enqueueMessage } from './enqueue';
import type { FieldError, FormValues } from './form';
import { isHoneypotFilled, readFormValues, validateContact } from './form';
import type { FormTokenRecord, MessagePayload } from './outbox';
import { FormTokenUsedError, withTimeout } from './outbox';
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
  | { kind: 'accepted'; reference: string }
  /** The form was used for another message already (a different one): that message's reference. */
  | { kind: 'already-used'; reference: string };

/** Posts of one form in this process, one after another, so a double click waits for the first. */
const inFlight = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (inFlight.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
  inFlight.set(key, run);
  try {
    return await run;
  } finally {
    if (inFlight.get(key) === run) inFlight.delete(key);
  }
}

type Stored = { kind: 'stored'; id: string; reference: string } | { kind: 'again'; record: FormTokenRecord; same: boolean };

/**
 * One message per form token. A post of a form whose token is on record already is answered
 * from that record, without counting it against the rate limit; otherwise the limit is taken and
 * the message is stored with its token, atomically, so that of posts arriving at the same moment
 * (on any replica) one stores and the others find its record.
 */
async function storeOnce(
  deps: ContactDependencies,
  token: CheckedToken,
  payload: MessagePayload,
  client: string,
): Promise<Stored | { kind: 'too-many'; retryAfterSeconds: number }> {
  const digest = token.digest(JSON.stringify(payload));
  const again = (record: FormTokenRecord): Stored => ({ kind: 'again', record, same: record.digest === digest });
  const earlier = await deps.outbox.findFormToken(token.id);
  if (earlier) return again(earlier);
  const wait = await deps.limiter.take(client);
  if (wait > 0) return { kind: 'too-many', retryAfterSeconds: wait };
  try {
    const formToken = { id: token.id, expiresAt: token.expiresAt, digest };
    return { kind: 'stored', ...(await enqueueMessage(deps.outbox, payload, { formToken })) };
  } catch (error) {
    if (!(error instanceof FormTokenUsedError)) throw error;
    const record = await deps.outbox.findFormToken(token.id);
    if (!record) throw error;
    return again(record);
  }
}

/**
 * The contact form's checks and the enqueue, in order: the Origin and the form token, the
 * honeypot, every field, then (within `storeTimeoutMs`) the form token's record, the rate limit
 * and the outbox. The patient is told "sent" only when the message is stored. A form posted
 * again (a double click, a resend after a slow answer) gets the same answer as the first time;
 * a form posted again with something else in it is refused, naming the first message.
 */
export async function submitContact(
  deps: ContactDependencies,
  submission: Submission,
  options: { siteOrigin: string; storeTimeoutMs: number; logger: Logger },
): Promise<SubmitOutcome> {
  if (!submission.fromThisSite) return { kind: 'forbidden', reason: 'origin' };
  const body = submission.body && typeof submission.body === 'object' ? (submission.body as Record<string, unknown>) : {};
  const cookie = parseCookies(submission.cookie).get(deps.tokens.cookieName);
  const token = deps.tokens.check(cookie, body._csrf);
  if (!token) return { kind: 'forbidden', reason: 'token' };

  const values = readFormValues(body);
  if (isHoneypotFilled(body)) {
    // Answered like a real message, so a script learns nothing; nothing is stored.
    const wait = await deps.limiter.take(submission.client).catch(() => 0);
    return wait > 0 ? { kind: 'too-many', retryAfterSeconds: wait } : { kind: 'accepted', reference: newMessageReference() };
  }
  const { details, errors } = validateContact(values, deps.services);
  if (!details) return { kind: 'invalid', values, errors };

  const referenceCode = referenceFor(submission.site, values.code);
  const payload: MessagePayload = { ...details, ...(referenceCode ? { referenceCode } : {}) };
  let stored: Awaited<ReturnType<typeof storeOnce>>;
  try {
    const work = oneAtATime(token.id, () => storeOnce(deps, token, payload, submission.client));
    stored = await withTimeout('storing a message', options.storeTimeoutMs, work);
  } catch (error) {
    // Nothing was stored, or we cannot know: say so, and keep everything they typed.
    options.logger.error({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'could not store a message');
    return { kind: 'not-stored', values };
  }
  if (stored.kind === 'too-many') return stored;
  if (stored.kind === 'again') {
    const { messageId, reference } = stored.record;
    options.logger.info({ messageId, reference, sameMessage: stored.same }, 'form posted again: nothing stored');
    return stored.same ? { kind: 'accepted', reference } : { kind: 'already-used', reference };
  }
  deps.notify();
  options.logger.info({ messageId: stored.id, reference: stored.reference }, 'message queued');
  return { kind: 'accepted', reference: stored.reference };
}
