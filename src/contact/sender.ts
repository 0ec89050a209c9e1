import type { SenderConfig } from '../config';
import type { Logger } from '../logger';
import { retryDelay } from './backoff';
import type { ClaimedMessage, Outbox, UnreadableRow } from './outbox';
import type { SendOutcome, TicketSystem } from './zendesk';

/**
 * Forwards outbox messages to the ticket system, in the same process as the web server.
 * Messages are claimed for a lease, so after a crash another run (or replica) picks them up;
 * before sending a message again it asks the ticket system whether the earlier attempt
 * arrived, so a retry never makes a second ticket. Logs carry message ids, never content.
 */
export interface Sender {
  start(): void;
  /** Stops the loop and waits for messages in flight. */
  stop(): Promise<void>;
  /** A message was added: look for work now rather than at the next poll. */
  notify(): void;
  /** One round: claims due messages and tries each once. Returns how many it tried. */
  runOnce(): Promise<number>;
  /** Claims and tries one message now, if it is due (for support staff re-sending it). */
  sendNow(id: string): Promise<boolean>;
  /** Deletes messages sent longer ago than the retention period, and the records of expired form tokens. */
  purge(): Promise<number>;
}

export interface SenderOptions extends Omit<SenderConfig, 'failedRetryMs'> {
  /** How often a failed message is tried again (6 hours when unset). */
  failedRetryMs?: number;
  /** How long a claim lasts: longer than the two requests an attempt can make. */
  leaseMs: number;
  /** Messages claimed and sent together in one round. */
  batchSize: number;
  retentionMs: number;
  /** How often to delete old sent messages. */
  purgeEveryMs: number;
}

export function senderOptions(
  config: Omit<SenderConfig, 'failedRetryMs'> & { failedRetryMs?: number },
  timeoutMs: number,
  retentionDays: number,
): SenderOptions {
  return { ...config, leaseMs: 3 * timeoutMs, batchSize: 5, retentionMs: retentionDays * 24 * 60 * 60_000, purgeEveryMs: 60 * 60_000 };
}

export function createSender(deps: {
  outbox: Outbox;
  /** Undefined when no ticket system is configured: messages stay in the outbox. */
  tickets?: TicketSystem;
  logger: Logger;
  options: SenderOptions;
  now?: () => number;
  random?: () => number;
}): Sender {
  const { outbox, tickets, logger, options } = deps;
  const now = deps.now ?? Date.now;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let pending = false;
  let lastPurge = 0;

  const failedRetryMs = options.failedRetryMs ?? 6 * 60 * 60_000;
  let errorStreak = 0;

  /**
   * The delivery contract: a message that was ever attempted may already be a ticket, so it is
   * sent again only after the lookup has answered "no such ticket". A lookup that cannot answer
   * means wait, never send.
   */
  async function deliver(claimed: ClaimedMessage): Promise<SendOutcome> {
    const { message } = claimed;
    if (message.attempts > 1) {
      const found = await tickets!.findTicket(message.id);
      if (found.kind === 'found') return { kind: 'sent', ticketId: found.ticketId };
      if (found.kind === 'retry') return found;
    }
    return tickets!.createTicket(message);
  }

  async function attempt(claimed: ClaimedMessage): Promise<void> {
    const { message } = claimed;
    let outcome: SendOutcome;
    try {
      outcome = await deliver(claimed);
    } catch {
      outcome = { kind: 'retry', error: 'unexpected error' };
    }
    const ids = { messageId: message.id, reference: message.reference, attempts: message.attempts };
    if (outcome.kind === 'sent') {
      await outbox.markSent(claimed, { now: now(), ticketId: outcome.ticketId });
      logger.info({ ...ids, ticketId: outcome.ticketId }, 'message sent');
    } else if (outcome.kind === 'rejected' || message.attempts >= options.maxAttempts) {
      const error = outcome.kind === 'rejected' ? outcome.error : `${outcome.error} (gave up after ${message.attempts} attempts)`;
      // Failed is for people to look at, not an end: it is tried again on a slow schedule.
      await outbox.markFailed(claimed, { error, nextAttemptAt: now() + failedRetryMs });
      logger.error({ ...ids, error, retryInMs: failedRetryMs }, 'message kept as failed');
    } else {
      const delay = retryDelay(message.attempts, options, outcome.retryAfterMs, deps.random);
      await outbox.markRetry(claimed, { nextAttemptAt: now() + delay, error: outcome.error });
      logger.warn({ ...ids, error: outcome.error, retryInMs: delay }, 'message will be retried');
    }
  }

  async function runOnce(): Promise<number> {
    if (!tickets) return 0;
    const claimed = await outbox.claim({ ...claimOptions(), limit: options.batchSize });
    await Promise.all(claimed.map(attempt));
    return claimed.length;
  }

  function claimOptions(): { now: number; leaseMs: number; quarantineMs: number; onQuarantine: (row: UnreadableRow) => void } {
    return {
      now: now(),
      leaseMs: options.leaseMs,
      quarantineMs: failedRetryMs,
      onQuarantine: (row) =>
        logger.error(
          { messageId: row.id, reference: row.reference, status: row.status, problem: row.problem },
          'outbox row cannot be read: set aside as failed',
        ),
    };
  }

  async function purge(): Promise<number> {
    lastPurge = now();
    const deleted = await outbox.deleteSentBefore(now() - options.retentionMs);
    if (deleted > 0) logger.info({ deleted }, 'deleted old sent messages');
    await outbox.deleteExpiredFormTokens(now());
    return deleted;
  }

  /** Waits `ms`, or less if a message arrives (unless the outbox is failing: then the full wait). */
  const pause = (ms: number, wakeable = true): Promise<void> =>
    new Promise((resolve) => {
      if (!wakeable) pending = false;
      if (pending || !running) {
        pending = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        pending = false;
        resolve();
      }
      wake = wakeable ? done : () => (running ? undefined : done());
    });

  async function run(): Promise<void> {
    while (running) {
      let busy = false;
      try {
        if (now() - lastPurge >= options.purgeEveryMs) await purge();
        busy = (await runOnce()) === options.batchSize;
        errorStreak = 0;
      } catch (error) {
        // Back off while the outbox fails, rather than retrying (and logging) on every new message.
        errorStreak += 1;
        const retryInMs = Math.min(60_000, options.pollMs * 2 ** Math.min(errorStreak - 1, 16));
        logger.error({ err: { message: (error as Error)?.message }, retryInMs }, 'outbox unavailable');
        if (running) await pause(retryInMs, false);
        continue;
      }
      if (running && !busy) await pause(options.pollMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      if (!tickets) logger.warn('no ticket system configured: contact messages stay in the outbox');
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    notify() {
      pending = true;
      wake?.();
    },
    runOnce,
    async sendNow(id) {
      if (!tickets) return false;
      const [claimed] = await outbox.claim({ ...claimOptions(), limit: 1, id });
      if (!claimed) return false;
      await attempt(claimed);
      return true;
    },
    purge,
  };
}
