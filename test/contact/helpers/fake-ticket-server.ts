import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake ticket system received. */
export interface Received {
  method: string;
  path: string;
  authorization?: string;
  body?: { request?: { external_id?: string; subject?: string; requester?: { email?: string }; comment?: { body?: string } } };
  at: number;
}

/**
 * How to answer a ticket creation: a status, or hold the answer back for a while. `body` (with
 * `contentType`) replaces the usual JSON; `createsTicket` says whether a ticket is made, which by
 * default is so for a 2xx with the usual body (so `{ status: 500, createsTicket: true }` is a
 * ticket made and an error answered, and `{ status: 200, body: '<html>' }` is no ticket at all).
 */
export type Answer =
  number | { status: number; delayMs?: number; retryAfter?: string; body?: string; contentType?: string; createsTicket?: boolean };

/** How to answer a lookup by external_id: the usual JSON (`'normal'`), or a status and body of our own. */
export type LookupAnswer = 'normal' | { status: number; body?: string; contentType?: string };

/**
 * A stand-in for the Zendesk Requests API on 127.0.0.1. POST /api/v2/requests.json creates a
 * ticket (201) unless an answer is scripted; GET /api/v2/tickets.json?external_id= finds one.
 * A ticket is created as soon as a 2xx answer is chosen, before the answer is written, as a
 * real server would when the connection drops afterwards.
 */
export class FakeTicketServer {
  readonly received: Received[] = [];
  /** Tickets by external_id, in creation order. */
  readonly tickets = new Map<string, { id: number; authorization?: string }>();
  /** Answers to the next ticket creations, used in order; then `defaultAnswer`. */
  readonly script: Answer[] = [];
  defaultAnswer: Answer = 201;
  /** Answers to the next lookups, used in order; then `defaultLookup`. */
  readonly lookupScript: LookupAnswer[] = [];
  defaultLookup: LookupAnswer = 'normal';
  /** Called with each creation request as it arrives. */
  onCreate?: (request: Received) => void;
  private server?: http.Server;
  private nextId = 1000;
  port = 0;

  /** Listens on 127.0.0.1 (on the same port as before when restarted). */
  async start(port = this.port): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Ticket creation requests received, including ones answered with an error. */
  get creations(): Received[] {
    return this.received.filter((r) => r.method === 'POST');
  }

  /** How many creation requests carried each external_id. */
  creationsById(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.creations) {
      const id = r.body?.request?.external_id ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const received: Received = { method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization, at: Date.now() };
    if (text) received.body = JSON.parse(text) as Received['body'];
    this.received.push(received);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
    };

    if (req.method === 'GET' && url.pathname === '/api/v2/tickets.json') {
      const lookup = this.lookupScript.length > 0 ? this.lookupScript.shift()! : this.defaultLookup;
      if (lookup !== 'normal') {
        res.writeHead(lookup.status, { 'Content-Type': lookup.contentType ?? 'application/json' }).end(lookup.body ?? '{}');
        return;
      }
      const ticket = this.tickets.get(url.searchParams.get('external_id') ?? '');
      json(200, { tickets: ticket ? [{ id: ticket.id, external_id: url.searchParams.get('external_id') }] : [] });
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/api/v2/requests.json') {
      json(404, { error: 'InvalidEndpoint' });
      return;
    }
    this.onCreate?.(received);
    const answer = this.script.length > 0 ? this.script.shift()! : this.defaultAnswer;
    const { status, delayMs, retryAfter, body, contentType, createsTicket } =
      typeof answer === 'number'
        ? { status: answer, delayMs: 0, retryAfter: undefined, body: undefined, contentType: undefined, createsTicket: undefined }
        : answer;
    let ticketId: number | undefined;
    if (createsTicket ?? (status >= 200 && status < 300 && body === undefined)) {
      ticketId = this.nextId++;
      this.tickets.set(received.body?.request?.external_id ?? '', { id: ticketId, authorization: received.authorization });
    }
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (res.destroyed) return;
    if (body !== undefined) res.writeHead(status, { 'Content-Type': contentType ?? 'text/html' }).end(body);
    else if (ticketId !== undefined && status >= 200 && status < 300) json(status, { request: { id: ticketId, status: 'new' } });
    else json(status, { error: status === 422 ? 'RecordInvalid' : 'ServerError' }, retryAfter ? { 'Retry-After': retryAfter } : {});
  }
}

/** A port nothing listens on (for "connection refused"). */
export async function unusedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
