import crypto from 'node:crypto';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { FormTokens } from './csrf';
import { createFormTokens } from './csrf';
import type { Outbox } from './outbox';
import type { RateLimiter } from './rate-limit';
import { createPostgresRateLimiter, createRateLimiter } from './rate-limit';
import type { Sender } from './sender';
import { createSender, senderOptions } from './sender';
import type { Service } from './services';
import { openMemoryOutbox, openSqliteOutbox } from './sqlite-outbox';
import { OutboxUnavailableError } from './outbox';
import { createZendesk } from './zendesk';

/** Everything the contact routes need besides the site. */
export interface ContactDependencies {
  services: readonly Service[];
  outbox: Outbox;
  tokens: FormTokens;
  limiter: RateLimiter;
  /** Tells the sender a message is waiting. */
  notify: () => void;
}

export interface Contact extends ContactDependencies {
  sender: Sender;
  /** Stops the sender and closes the database. */
  close(): Promise<void>;
}

/**
 * PostgreSQL when DATABASE_URL is set, otherwise SQLite under DATA_DIR. With `create: false`
 * (tools that read an existing outbox) a missing SQLite file or PostgreSQL table is an error.
 */
export async function openOutbox(config: Config, options: { create?: boolean; logger?: Logger } = {}): Promise<Outbox> {
  const { databaseUrl, dataDir, databaseTimeoutMs } = config.contact;
  // PostgreSQL's client is loaded only when it is used.
  if (databaseUrl)
    return (await import('./postgres-outbox')).openPostgresOutbox(databaseUrl, { timeoutMs: databaseTimeoutMs, create: options.create });
  return openSqliteOutbox(dataDir, { create: options.create, busyTimeoutMs: Math.min(databaseTimeoutMs, 1000), logger: options.logger });
}

/** The sender for a config: it sends nothing when no ticket system is configured. */
export function senderFor(config: Config, outbox: Outbox, logger: Logger): Sender {
  const { zendesk, sender, retentionDays } = config.contact;
  return createSender({
    outbox,
    tickets: zendesk ? createZendesk(zendesk) : undefined,
    logger,
    options: senderOptions(sender, zendesk?.timeoutMs ?? 10_000, retentionDays),
  });
}

/**
 * Contact dependencies for an app with no outbox (tools and tests that serve pages only): the
 * form shows, and every valid message is answered "not sent", never "sent".
 */
export function unavailableContact(services: readonly Service[] = []): ContactDependencies {
  const outbox = openMemoryOutbox();
  const unavailable = (): Promise<never> => Promise.reject(new OutboxUnavailableError('no outbox is configured'));
  return {
    services,
    outbox: { ...outbox, add: unavailable, checkWritable: unavailable },
    tokens: createFormTokens({ secret: crypto.randomBytes(32).toString('hex'), https: false }),
    limiter: createRateLimiter({ max: 5, windowMs: 10 * 60_000 }),
    notify: () => undefined,
  };
}

/** Opens the outbox and builds the sender, form tokens and rate limiter. The sender is not started. */
export async function openContact(config: Config, services: readonly Service[], logger: Logger): Promise<Contact> {
  const outbox = await openOutbox(config, { logger });
  const limiter = await openRateLimiter(config).catch(async (error: unknown) => {
    await outbox.close();
    throw error;
  });
  const sender = senderFor(config, outbox, logger);
  return {
    services,
    outbox,
    sender,
    tokens: createFormTokens({
      secret: config.contact.secret ?? crypto.randomBytes(32).toString('hex'),
      https: config.baseUrl.startsWith('https:'),
      ttlMs: config.contact.formTokenTtlMs,
    }),
    limiter,
    notify: () => sender.notify(),
    async close() {
      await sender.stop();
      await limiter.close?.();
      await outbox.close();
    },
  };
}

/** With PostgreSQL the limit is counted there, for every replica at once; otherwise in memory. */
export async function openRateLimiter(config: Config): Promise<RateLimiter> {
  const { databaseUrl, databaseTimeoutMs, rateLimit, secret } = config.contact;
  if (!databaseUrl) return createRateLimiter(rateLimit);
  const pool = (await import('./postgres-outbox')).boundedPool(databaseUrl, { poolSize: 2, timeoutMs: databaseTimeoutMs });
  try {
    // The key that hides client addresses must be the same in every replica.
    return await createPostgresRateLimiter(pool, { ...rateLimit, secret: secret ?? databaseUrl });
  } catch (error) {
    await pool.end();
    throw error;
  }
}
