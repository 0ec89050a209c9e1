import type { ZendeskConfig } from '../config';
import type { OutboxMessage } from './outbox';

/** What happened when we tried to hand a message to the ticket system. */
export type SendOutcome =
  { kind: 'sent'; ticketId: string } | { kind: 'retry'; error: string; retryAfterMs?: number } | { kind: 'rejected'; error: string };

/** Whether a ticket with a message's external_id already exists. */
export type LookupOutcome =
  | { kind: 'found'; ticketId: string }
  | { kind: 'absent' }
  | { kind: 'unavailable'; error: string }
  | { kind: 'retry'; error: string; retryAfterMs?: number };

export interface TicketSystem {
  createTicket(message: OutboxMessage): Promise<SendOutcome>;
  findTicket(externalId: string): Promise<LookupOutcome>;
}

/** 2xx is done; 408, 429 and 5xx are worth trying again; any other answer will not change. */
export function classifyStatus(status: number): 'ok' | 'retry' | 'rejected' {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
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
  const { payload } = message;
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

/** The Requests API body. external_id is the message id, which is never reused. */
export function ticketRequest(message: OutboxMessage): unknown {
  const { payload } = message;
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
  return typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : undefined;
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
      return { kind: 'sent', ticketId: idOf(body?.request?.id) ?? 'unknown' };
    },

    async findTicket(externalId) {
      let response: Response;
      try {
        response = await call(`/api/v2/tickets.json?external_id=${encodeURIComponent(externalId)}`, { method: 'GET' });
      } catch (error) {
        return { kind: 'retry', error: describeNetworkError(error) };
      }
      const verdict = classifyStatus(response.status);
      if (verdict !== 'ok') {
        await response.body?.cancel();
        const error = `lookup HTTP ${response.status}`;
        return verdict === 'retry'
          ? { kind: 'retry', error, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) }
          : { kind: 'unavailable', error };
      }
      const body = (await response.json().catch(() => undefined)) as { tickets?: { id?: unknown }[] } | undefined;
      const ticketId = Array.isArray(body?.tickets) ? idOf(body.tickets[0]?.id) : undefined;
      return ticketId ? { kind: 'found', ticketId } : { kind: 'absent' };
    },
  };
}
