import type { ZendeskConfig } from '../config';
import type { MessagePayload, OutboxMessage } from './outbox';
import { plainText } from './text';

/** What happened when we tried to hand a message to the ticket system. */
export type SendOutcome =
  { kind: 'sent'; ticketId: string } | { kind: 'retry'; error: string; retryAfterMs?: number } | { kind: 'rejected'; error: string };

/**
 * Whether a ticket with a message's external_id already exists. Only `absent` allows a
 * message to be sent again: `retry` means the lookup could not answer, and the sender waits.
 */
export type LookupOutcome =
  { kind: 'found'; ticketId: string } | { kind: 'absent' } | { kind: 'retry'; error: string; retryAfterMs?: number };

export interface TicketSystem {
  createTicket(message: OutboxMessage): Promise<SendOutcome>;
  findTicket(externalId: string): Promise<LookupOutcome>;
}

/**
 * 2xx is done. 408, 429 and 5xx are worth trying again, and so are the answers that mean our
 * settings or the account are wrong rather than the message (3xx, 401, 403, 404): they change
 * when someone fixes the settings. Any other 4xx is about the message and will not change.
 */
export function classifyStatus(status: number): 'ok' | 'retry' | 'rejected' {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if ((status >= 300 && status < 400) || status === 401 || status === 403 || status === 404) return 'retry';
  return 'rejected';
}

/** A short, content-free name for a network failure: timeout, connection refused, … */
export function describeNetworkError(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'network error';
}

/** Retry-After in milliseconds, when the answer gives one in seconds. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

/** The text of the ticket: every detail on its own line, then what the patient wrote. */
export function ticketBody(message: OutboxMessage): string {
  const payload = plainPayload(message.payload);
  const code = payload.referenceCode;
  return [
    `Message reference: ${message.reference}`,
    ...(code ? [`Reference code: ${code.code}${code.heading ? ` – ${code.heading}` : ''}`] : []),
    `Website or app: ${payload.service.name} (${payload.service.id})`,
    `Problem: ${payload.problem.text} (${payload.problem.value})`,
    `Name: ${payload.fullName}`,
    `Email: ${payload.email}`,
    `Sent: ${new Date(message.createdAt).toISOString()}`,
    '',
    payload.description,
  ].join('\n');
}

/** The payload without control or direction-override characters, also for messages stored before they were removed. */
function plainPayload(payload: MessagePayload): MessagePayload {
  const code = payload.referenceCode;
  return {
    ...payload,
    fullName: plainText(payload.fullName),
    email: plainText(payload.email),
    description: plainText(payload.description, { lines: true }),
    service: { id: plainText(payload.service.id), name: plainText(payload.service.name) },
    problem: { value: plainText(payload.problem.value), text: plainText(payload.problem.text) },
    ...(code ? { referenceCode: { code: plainText(code.code), ...(code.heading ? { heading: plainText(code.heading) } : {}) } } : {}),
  };
}

/** The Requests API body. external_id is the message id, which is never reused. */
export function ticketRequest(message: OutboxMessage): unknown {
  const payload = plainPayload(message.payload);
  return {
    request: {
      subject: `${payload.problem.text} – ${payload.service.name} (${message.reference})`,
      comment: { body: ticketBody(message) },
      requester: { name: payload.fullName, email: payload.email },
      external_id: message.id,
    },
  };
}

function idOf(value: unknown): string | undefined {
  return (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^\d{1,20}$/.test(value))
    ? String(value)
    : undefined;
}

/**
 * The answer to a lookup by external_id: a ticket, or an explicit empty list. Anything else
 * (not JSON, no `tickets` list, a ticket without an id) cannot say "no such ticket".
 */
export function readLookup(body: unknown): LookupOutcome {
  const tickets = (body as { tickets?: unknown } | undefined)?.tickets;
  if (!Array.isArray(tickets)) return { kind: 'retry', error: 'lookup answer not understood' };
  if (tickets.length === 0) return { kind: 'absent' };
  const ticketId = idOf((tickets[0] as { id?: unknown } | undefined)?.id);
  return ticketId ? { kind: 'found', ticketId } : { kind: 'retry', error: 'lookup answer not understood' };
}

/**
 * The Zendesk Requests API, authenticated with an API token. Nothing from the answer's body is
 * kept but the ticket id: error answers can echo what the patient wrote.
 */
export function createZendesk(config: ZendeskConfig, fetchImpl: typeof fetch = fetch): TicketSystem {
  const authorization = `Basic ${Buffer.from(`${config.email}/token:${config.apiToken}`).toString('base64')}`;
  const call = (path: string, init: RequestInit): Promise<Response> =>
    fetchImpl(`${config.url}${path}`, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.timeoutMs),
      headers: { Accept: 'application/json', Authorization: authorization, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    });

  return {
    async createTicket(message) {
      let response: Response;
      try {
        response = await call('/api/v2/requests.json', { method: 'POST', body: JSON.stringify(ticketRequest(message)) });
      } catch (error) {
        return { kind: 'retry', error: describeNetworkError(error) };
      }
      const verdict = classifyStatus(response.status);
      const error = `HTTP ${response.status}`;
      if (verdict === 'retry') {
        await response.body?.cancel();
        return { kind: 'retry', error, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
      }
      if (verdict === 'rejected') {
        await response.body?.cancel();
        return { kind: 'rejected', error };
      }
      const body = (await response.json().catch(() => undefined)) as { request?: { id?: unknown } } | undefined;
      const ticketId = idOf(body?.request?.id);
      // A 2xx without a ticket id is not proof of a ticket (a proxy's page, a changed API): the
      // next attempt asks Zendesk whether the ticket exists before sending again.
      return ticketId ? { kind: 'sent', ticketId } : { kind: 'retry', error: `HTTP ${response.status} without a ticket id` };
    },

    async findTicket(externalId) {
      let response: Response;
      try {
        response = await call(`/api/v2/tickets.json?external_id=${encodeURIComponent(externalId)}`, { method: 'GET' });
      } catch (error) {
        return { kind: 'retry', error: describeNetworkError(error) };
      }
      if (classifyStatus(response.status) !== 'ok') {
        await response.body?.cancel();
        return { kind: 'retry', error: `lookup HTTP ${response.status}`, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
      }
      return readLookup(await response.json().catch(() => undefined));
    },
  };
}
