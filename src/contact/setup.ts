import crypto from 'node:crypto';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { FormTokens } from './csrf';
import { createFormTokens } from './csrf';
import type { Outbox } from './outbox';
import { openPostgresOutbox } from './postgres-outbox';
import type { RateLimiter } from './rate-limit';
import { createRateLimiter } from './rate-limit';
import type { Sender } from './sender';
import { createSender, senderOptions } from './sender';
import type { Service } from './services';
import { openSqliteOutbox } from './sqlite-outbox';
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
 * (tools that read an existing outbox) a missing SQLite file is an error.
 */
export async function openOutbox(config: Config, options: { create?: boolean } = {}): Promise<Outbox> {
  const { databaseUrl, dataDir, databaseTimeoutMs } = config.contact;
  if (databaseUrl) return openPostgresOutbox(databaseUrl, { timeoutMs: databaseTimeoutMs });
  return openSqliteOutbox(dataDir, { create: options.create, busyTimeoutMs: Math.min(databaseTimeoutMs, 1000) });
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

/** Opens the outbox and builds the sender, form tokens and rate limiter. The sender is not started. */
export async function openContact(config: Config, services: readonly Service[], logger: Logger): Promise<Contact> {
  const outbox = await openOutbox(config);
  const sender = senderFor(config, outbox, logger);
  return {
    services,
    outbox,
    sender,
    tokens: createFormTokens({
      secret: config.contact.secret ?? crypto.randomBytes(32).toString('hex'),
      https: config.baseUrl.startsWith('https:'),
    }),
    limiter: createRateLimiter(config.contact.rateLimit),
    notify: () => sender.notify(),
    async close() {
      await sender.stop();
      await outbox.close();
    },
  };
}
