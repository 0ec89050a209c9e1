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
  /** The form token the message was posted with: the outbox takes one message per token. */
  formToken?: FormTokenUse;
}

/** What the outbox keeps of a form token: never the token, nothing about the patient. */
export interface FormTokenUse {
  /** A hash of the token's nonce (CheckedToken.id). */
  id: string;
  /** When the token stops being accepted: its record can be deleted after that. */
  expiresAt: number;
  /** A digest of the message, keyed by the token (CheckedToken.digest), to tell a resend from a different message. */
  digest: string;
}

/** The message a form token was used for. */
export interface FormTokenRecord {
  messageId: string;
  reference: string;
  digest: string;
}

/** A message this sender holds until `leaseUntil`; only the holder of `token` may settle it. */
export interface ClaimedMessage {
  message: OutboxMessage;
  token: string;
}

export type RequeueResult = 'requeued' | 'not-found' | 'sending' | 'sent';

/** A row the outbox cannot read (a payload that is not a message, a status from another version). */
export interface UnreadableRow {
  id: string;
  reference: string;
  createdAt: number;
  status: string;
  problem: string;
}

export interface ClaimOptions {
  now: number;
  leaseMs: number;
  limit: number;
  id?: string;
  /**
   * Called for each claimed row that cannot be read. The row is set aside as failed, so that
   * it never blocks the messages behind it, and is tried again on the failed schedule.
   */
  onQuarantine?: (row: UnreadableRow) => void;
  /** When a row set aside is looked at again: now + this. */
  quarantineMs?: number;
}

/** The outbox could not be used: nothing was stored. */
export class OutboxUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxUnavailableError';
  }
}

export interface Outbox {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Durably stores a new message, and its form token in the same transaction. Throws
   * DuplicateReferenceError if the reference is taken, and FormTokenUsedError (storing nothing)
   * if the form token was already used: by another replica, too, and even at the same moment.
   */
  add(message: NewMessage): Promise<void>;
  /** The message a form token was used for, until the token expires. */
  findFormToken(id: string): Promise<FormTokenRecord | undefined>;
  /** Deletes the records of form tokens that expired before `time`; returns how many. */
  deleteExpiredFormTokens(time: number): Promise<number>;
  /**
   * Takes up to `limit` messages that are due (queued or failed and due, or sending with an
   * expired lease), marks them sending until now + leaseMs and counts the attempt. With `id`,
   * only that message. Rows that cannot be read are set aside (see ClaimOptions.onQuarantine).
   */
  claim(options: ClaimOptions): Promise<ClaimedMessage[]>;
  markSent(claim: ClaimedMessage, result: { now: number; ticketId: string }): Promise<boolean>;
  markRetry(claim: ClaimedMessage, result: { nextAttemptAt: number; error: string }): Promise<boolean>;
  /** Keeps a message as failed; it is claimed again at `nextAttemptAt` (never, without one). */
  markFailed(claim: ClaimedMessage, result: { error: string; nextAttemptAt?: number }): Promise<boolean>;
  /** Every message that can be read, oldest first. */
  list(): Promise<OutboxMessage[]>;
  /** Every row that cannot be read, oldest first. */
  unreadable(): Promise<UnreadableRow[]>;
  /** One readable message by id or reference. */
  find(idOrReference: string): Promise<OutboxMessage | undefined>;
  /**
   * Makes a failed or queued message due now. Its attempts are kept: a message that was ever
   * attempted is looked up in the ticket system before it is sent again.
   */
  requeue(id: string, now: number): Promise<RequeueResult>;
  /** Makes every failed message due now; returns how many. */
  requeueFailed(now: number): Promise<number>;
  /**
   * Resolves when a message could be stored now, within `timeoutMs`; throws
   * OutboxUnavailableError otherwise. For the readiness check.
   */
  checkWritable(timeoutMs: number): Promise<void>;
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

/** The form token was used for a message already: nothing was stored. */
export class FormTokenUsedError extends Error {
  constructor() {
    super('form token already used');
    this.name = 'FormTokenUsedError';
  }
}

/** The tables, the same for both databases. */
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
  // One row per form token used: one message per form shown. Deleted once the token has expired.
  `CREATE TABLE IF NOT EXISTS contact_form_tokens (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    digest TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS contact_form_tokens_expiry ON contact_form_tokens (expires_at)',
];

export interface FormTokenRow {
  message_id: string;
  reference: string;
  digest: string;
}

export function formTokenFromRow(row: FormTokenRow | undefined): FormTokenRecord | undefined {
  return row ? { messageId: row.message_id, reference: row.reference, digest: row.digest } : undefined;
}

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

/** Rows the sender may claim, for a time bound as `now` (SQL shared by both stores). */
export function dueCondition(now: string): string {
  return `((status IN ('queued', 'failed') AND next_attempt_at <= ${now}) OR (status = 'sending' AND lease_until <= ${now}))`;
}

function optionalNumber(value: number | string | null): number | undefined {
  return value === null ? undefined : Number(value);
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isPair = (value: unknown, a: string, b: string): boolean =>
  typeof value === 'object' &&
  value !== null &&
  isText((value as Record<string, unknown>)[a]) &&
  isText((value as Record<string, unknown>)[b]);

/** The payload as a message, or what is wrong with it (never its content). */
export function parsePayload(text: string): MessagePayload | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'payload is not JSON';
  }
  const fields = value as Record<string, unknown> | null;
  if (typeof fields !== 'object' || fields === null) return 'payload is not an object';
  const missing = ['fullName', 'email', 'description'].filter((name) => !isText(fields[name]));
  if (!isPair(fields.service, 'id', 'name')) missing.push('service');
  if (!isPair(fields.problem, 'value', 'text')) missing.push('problem');
  return missing.length > 0 ? `payload has no valid ${missing.join(', ')}` : (value as MessagePayload);
}

/** A database row as a message, or as an unreadable row saying why. */
export function readRow(row: MessageRow): { message: OutboxMessage } | { unreadable: UnreadableRow } {
  const payload = parsePayload(row.payload);
  const problem = !STATUSES.has(row.status) ? 'unknown status' : typeof payload === 'string' ? payload : undefined;
  if (problem !== undefined) {
    return { unreadable: { id: row.id, reference: row.reference, createdAt: Number(row.created_at), status: row.status, problem } };
  }
  return { message: messageFromRow(row) };
}

/** A database row as a message. PostgreSQL returns BIGINT as text, SQLite as a number. */
export function messageFromRow(row: MessageRow): OutboxMessage {
  if (!STATUSES.has(row.status)) throw new Error(`message ${row.id} has an unknown status`);
  const payload = parsePayload(row.payload);
  if (typeof payload === 'string') throw new Error(`message ${row.id}: ${payload}`);
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
    payload,
  };
}

/** Readable messages and unreadable rows, apart. */
export function splitRows(rows: MessageRow[]): { messages: OutboxMessage[]; unreadable: UnreadableRow[] } {
  const messages: OutboxMessage[] = [];
  const unreadable: UnreadableRow[] = [];
  for (const row of rows) {
    const read = readRow(row);
    if ('message' in read) messages.push(read.message);
    else unreadable.push(read.unreadable);
  }
  return { messages, unreadable };
}

/** The error a set-aside row carries, naming the problem and never the content. */
export function quarantineError(problem: string): string {
  return `set aside: ${problem}`;
}

/** A promise that rejects with OutboxUnavailableError after `ms`. */
export async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new OutboxUnavailableError(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What `requeue` may do given a message's status. */
export function requeueResultFor(status: MessageStatus | undefined): RequeueResult {
  if (status === undefined) return 'not-found';
  if (status === 'sending') return 'sending';
  if (status === 'sent') return 'sent';
  return 'requeued';
}
