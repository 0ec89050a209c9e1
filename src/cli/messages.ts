import pino from 'pino';
import type { Config } from '../config';
import { ConfigError, loadConfig } from '../config';
import type { Logger } from '../logger';
import type { Outbox, OutboxMessage, UnreadableRow } from '../contact/outbox';
import { normaliseMessageReference } from '../contact/reference';
import { openOutbox, senderFor } from '../contact/setup';
import { plainText } from '../contact/text';

/**
 * `npm run messages -- list|show <id>|retry <id>|export`: lets support staff read the outbox and
 * send a message again. <id> is a message id or its reference (HC-7Q4K-2M).
 */

export const USAGE = `Usage: npm run messages -- <command>

  list [--failed]        every message (or the failed ones): reference, status, attempts, when written, last error
  show <id>              one message in full (id or reference, e.g. HC-7Q4K-2M)
  retry <id>             send a failed or queued message again now (after asking Zendesk whether it has it)
  retry --all-failed     make every failed message due now; the server sends them
  export                 every message in full, one JSON object a line
`;

function time(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The rows that cannot be read, after the list: support staff must see them. */
export function formatUnreadable(rows: UnreadableRow[]): string {
  if (rows.length === 0) return '';
  const lines = rows.map((row) => `  ${row.reference}  ${plainText(row.status)}  ${time(row.createdAt)}  ${row.id}  ${row.problem}`);
  return `\n${rows.length} ${rows.length === 1 ? 'row' : 'rows'} cannot be read (set aside, never sent as they are):\n${lines.join('\n')}\n`;
}

/** A message as `export` writes it: times as ISO 8601, as `list` and `show` print them. */
export function exportLine(message: OutboxMessage): string {
  const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
  return `${JSON.stringify({
    ...message,
    createdAt: iso(message.createdAt),
    nextAttemptAt: iso(message.nextAttemptAt > 8.64e15 ? undefined : message.nextAttemptAt),
    leaseUntil: iso(message.leaseUntil),
    sentAt: iso(message.sentAt),
  })}\n`;
}

/** One line a message, without names, emails or message text. */
export function formatList(messages: OutboxMessage[]): string {
  if (messages.length === 0) return 'No messages.\n';
  const rows = [
    ['REFERENCE', 'STATUS', 'ATTEMPTS', 'WRITTEN', 'ID', 'LAST ERROR'],
    ...messages.map((m) => [m.reference, m.status, String(m.attempts), time(m.createdAt), m.id, m.lastError ?? '']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export function formatMessage(m: OutboxMessage): string {
  // What the patient typed reaches a terminal: no control codes or direction overrides.
  const payload = {
    ...m.payload,
    fullName: plainText(m.payload.fullName),
    email: plainText(m.payload.email),
    description: plainText(m.payload.description, { lines: true }),
    service: { id: plainText(m.payload.service.id), name: plainText(m.payload.service.name) },
    problem: { value: plainText(m.payload.problem.value), text: plainText(m.payload.problem.text) },
  };
  const code = payload.referenceCode;
  return [
    `Reference:      ${m.reference}`,
    `Id:             ${m.id}`,
    `Status:         ${m.status}`,
    `Attempts:       ${m.attempts}`,
    `Written:        ${time(m.createdAt)}`,
    `Next attempt:   ${m.status === 'queued' || m.status === 'failed' ? time(m.nextAttemptAt > 8.64e15 ? undefined : m.nextAttemptAt) : '-'}`,
    `Sent:           ${time(m.sentAt)}${m.ticketId ? ` (ticket ${m.ticketId})` : ''}`,
    `Last error:     ${m.lastError ?? '-'}`,
    `Reference code: ${code ? `${code.code}${code.heading ? ` – ${code.heading}` : ''}` : '-'}`,
    `Website or app: ${payload.service.name} (${payload.service.id})`,
    `Problem:        ${payload.problem.text}`,
    `Name:           ${payload.fullName}`,
    `Email:          ${payload.email}`,
    '',
    payload.description,
    '',
  ].join('\n');
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

type Command =
  | { name: 'list'; failed: boolean }
  | { name: 'show'; key: string }
  | { name: 'retry'; key: string }
  | { name: 'retry-all-failed' }
  | { name: 'export' };

export function parseCommand(args: string[]): Command | undefined {
  const [command, ...rest] = args;
  if (command === 'list' && rest.length === 0) return { name: 'list', failed: false };
  if (command === 'list' && rest.length === 1 && rest[0] === '--failed') return { name: 'list', failed: true };
  if (command === 'export' && rest.length === 0) return { name: 'export' };
  if (command === 'retry' && rest.length === 1 && rest[0] === '--all-failed') return { name: 'retry-all-failed' };
  if ((command === 'show' || command === 'retry') && rest.length === 1 && !rest[0]!.startsWith('-'))
    return { name: command, key: rest[0]! };
  return undefined;
}

/** Logs go to standard error, so that `export > file` stays clean. */
export function cliLogger(level: string): Logger {
  return pino({ level, base: { source: 'npm run messages' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

/** A message by id or reference, as people type references (`hc-7q4k-2m`). */
async function findMessage(outbox: Outbox, key: string): Promise<OutboxMessage | undefined> {
  return (await outbox.find(key)) ?? (await outbox.find(normaliseMessageReference(key) ?? key));
}

/** Runs one command and returns the exit code. */
export async function runMessagesCommand(
  args: string[],
  config: Config,
  io: Output,
  logger: Logger = cliLogger('silent'),
): Promise<number> {
  const command = parseCommand(args);
  if (!command) {
    io.err(USAGE);
    return 2;
  }
  // Never a new, empty outbox: a wrong DATA_DIR would then answer "No messages."
  const outbox = await openOutbox(config, { create: false });
  try {
    if (command.name === 'list') {
      const messages = await outbox.list();
      io.out(formatList(command.failed ? messages.filter((m) => m.status === 'failed') : messages));
      io.out(formatUnreadable(await outbox.unreadable()));
      return 0;
    }
    if (command.name === 'export') {
      for (const message of await outbox.list()) io.out(exportLine(message));
      const unreadable = await outbox.unreadable();
      if (unreadable.length > 0) io.err(formatUnreadable(unreadable));
      return 0;
    }
    if (command.name === 'retry-all-failed') {
      const count = await outbox.requeueFailed(Date.now());
      logger.info({ count }, 'failed messages made due by support staff');
      io.out(`${count} failed ${count === 1 ? 'message is' : 'messages are'} queued; the server sends them at its next poll.\n`);
      return 0;
    }
    const message = await findMessage(outbox, command.key);
    if (!message) {
      const unreadable = (await outbox.unreadable()).find(
        (row) => row.id === command.key || row.reference === normaliseMessageReference(command.key),
      );
      io.err(
        unreadable
          ? `${unreadable.reference} cannot be read: ${unreadable.problem}\n`
          : `No message with id or reference ${plainText(command.key)}\n`,
      );
      return 1;
    }
    if (command.name === 'show') {
      io.out(formatMessage(message));
      return 0;
    }
    const result = await outbox.requeue(message.id, Date.now());
    if (result !== 'requeued') {
      io.err(`${message.reference} is ${result === 'sending' ? 'being sent now' : 'already sent'}; nothing to do\n`);
      return 1;
    }
    logger.info({ messageId: message.id, reference: message.reference }, 'message queued again by support staff');
    if (!config.contact.zendesk) {
      io.out(`${message.reference} is queued. No ticket system is configured here, so the server will send it when it has one.\n`);
      return 0;
    }
    await senderFor(config, outbox, logger).sendNow(message.id);
    const after = await outbox.find(message.id);
    io.out(`${message.reference} is ${after?.status ?? 'gone'}${after?.lastError ? ` (${after.lastError})` : ''}\n`);
    return after?.status === 'sent' ? 0 : 1;
  } finally {
    await outbox.close();
  }
}

/** Runs the command line: a bad setting or a missing outbox is one plain line, never a stack trace. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`npm run messages: ${error.message}\n`);
    return 2;
  }
  try {
    return await runMessagesCommand(argv, config, io, cliLogger(config.logLevel));
  } catch (error) {
    io.err(`npm run messages: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
