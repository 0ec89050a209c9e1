import type { ContactDetails } from './form';

/**
 * The outbox: every accepted message is written here before the patient sees the confirmation,
 * and stays until the ticket system has it (then for the retention period). SQLite and
 * PostgreSQL keep it in the same table, with times as milliseconds since 1970.
 */

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** What the patient sent, with the reference code they came with. */
export interface MessagePayload extends ContactDetails {
  referenceCode?: { code: string; heading?: string };
}

export interface OutboxMessage {
  /** Random and never reused: the ticket's external_id. */
  id: string;
  /** Shown to the patient: HC-7Q4K-2M. */
  reference: string;
  createdAt: number;
  status: MessageStatus;
  /** Sending attempts started, including any cut short by a crash. */
  attempts: number;
  nextAttemptAt: number;
  leaseUntil?: number;
  /** What went wrong last: a status code or a network error name, never message content. */
  lastError?: string;
  ticketId?: string;
  sentAt?: number;
  payload: MessagePayload;
}

export interface NewMessage {
  id: string;
  reference: string;
  createdAt: number;
  payload: MessagePayload;
}

/** A message this sender holds until `leaseUntil`; only the holder of `token` may settle it. */
export interface ClaimedMessage {
  message: OutboxMessage;
  token: string;
}

export type RequeueResult = 'requeued' | 'not-found' | 'sending' | 'sent';

export interface Outbox {
  readonly kind: 'sqlite' | 'postgres';
  /** Durably stores a new message. Throws DuplicateReferenceError if the reference is taken. */
  add(message: NewMessage): Promise<void>;
  /**
   * Takes up to `limit` messages that are due (queued and due, or sending with an expired lease),
   * marks them sending until now + leaseMs and counts the attempt. With `id`, only that message.
   */
  claim(options: { now: number; leaseMs: number; limit: number; id?: string }): Promise<ClaimedMessage[]>;
  markSent(claim: ClaimedMessage, result: { now: number; ticketId: string }): Promise<boolean>;
  markRetry(claim: ClaimedMessage, result: { nextAttemptAt: number; error: string }): Promise<boolean>;
  markFailed(claim: ClaimedMessage, result: { error: string }): Promise<boolean>;
  /** Every message, oldest first. */
  list(): Promise<OutboxMessage[]>;
  /** One message by id or reference. */
  find(idOrReference: string): Promise<OutboxMessage | undefined>;
  /** Makes a failed or queued message due now, with its failure count reset. */
  requeue(id: string, now: number): Promise<RequeueResult>;
  /** Deletes messages sent before `time`; returns how many. */
  deleteSentBefore(time: number): Promise<number>;
  close(): Promise<void>;
}

export class DuplicateReferenceError extends Error {
  constructor() {
    super('message reference already used');
    this.name = 'DuplicateReferenceError';
  }
}

/** The table, the same for both databases. */
export const OUTBOX_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS contact_messages (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_token TEXT,
    last_error TEXT,
    ticket_id TEXT,
    sent_at BIGINT,
    payload TEXT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS contact_messages_due ON contact_messages (status, next_attempt_at)',
  'CREATE INDEX IF NOT EXISTS contact_messages_sent ON contact_messages (sent_at)',
];

export interface MessageRow {
  id: string;
  reference: string;
  created_at: number | string;
  status: string;
  attempts: number | string;
  next_attempt_at: number | string;
  lease_until: number | string | null;
  last_error: string | null;
  ticket_id: string | null;
  sent_at: number | string | null;
  payload: string;
}

const STATUSES = new Set<string>(['queued', 'sending', 'sent', 'failed']);

function optionalNumber(value: number | string | null): number | undefined {
  return value === null ? undefined : Number(value);
}

/** A database row as a message. PostgreSQL returns BIGINT as text, SQLite as a number. */
export function messageFromRow(row: MessageRow): OutboxMessage {
  if (!STATUSES.has(row.status)) throw new Error(`message ${row.id} has an unknown status`);
  return {
    id: row.id,
    reference: row.reference,
    createdAt: Number(row.created_at),
    status: row.status as MessageStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    leaseUntil: optionalNumber(row.lease_until),
    lastError: row.last_error ?? undefined,
    ticketId: row.ticket_id ?? undefined,
    sentAt: optionalNumber(row.sent_at),
    payload: JSON.parse(row.payload) as MessagePayload,
  };
}

/** What `requeue` may do given a message's status. */
export function requeueResultFor(status: MessageStatus | undefined): RequeueResult {
  if (status === undefined) return 'not-found';
  if (status === 'sending') return 'sending';
  if (status === 'sent') return 'sent';
  return 'requeued';
}
