import type { Config } from '../config';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import type { OutboxMessage } from '../contact/outbox';
import { openOutbox, senderFor } from '../contact/setup';

/**
 * `npm run messages -- list|show <id>|retry <id>|export`: lets support staff read the outbox and
 * send a message again. <id> is a message id or its reference (HC-7Q4K-2M).
 */

export const USAGE = `Usage: npm run messages -- <command>

  list           every message: reference, status, attempts, when it was written, last error
  show <id>      one message in full (id or reference, e.g. HC-7Q4K-2M)
  retry <id>     send a failed or queued message again now
  export         every message in full, one JSON object a line
`;

function time(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
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
  const { payload } = m;
  const code = payload.referenceCode;
  return [
    `Reference:      ${m.reference}`,
    `Id:             ${m.id}`,
    `Status:         ${m.status}`,
    `Attempts:       ${m.attempts}`,
    `Written:        ${time(m.createdAt)}`,
    `Next attempt:   ${m.status === 'queued' ? time(m.nextAttemptAt) : '-'}`,
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

/** Runs one command and returns the exit code. */
export async function runMessagesCommand(args: string[], config: Config, io: Output): Promise<number> {
  const [command, key, ...rest] = args;
  const needsKey = command === 'show' || command === 'retry';
  const known = ['list', 'show', 'retry', 'export'].includes(command ?? '');
  if (!known || (needsKey && !key) || (!needsKey && key !== undefined) || rest.length > 0) {
    io.err(USAGE);
    return 2;
  }
  const outbox = await openOutbox(config);
  try {
    if (command === 'list') {
      io.out(formatList(await outbox.list()));
      return 0;
    }
    if (command === 'export') {
      for (const message of await outbox.list()) io.out(`${JSON.stringify(message)}\n`);
      return 0;
    }
    const message = await outbox.find(key!);
    if (!message) {
      io.err(`No message with id or reference ${key}\n`);
      return 1;
    }
    if (command === 'show') {
      io.out(formatMessage(message));
      return 0;
    }
    const result = await outbox.requeue(message.id, Date.now());
    if (result !== 'requeued') {
      io.err(`${message.reference} is ${result === 'sending' ? 'being sent now' : 'already sent'}; nothing to do\n`);
      return 1;
    }
    if (!config.contact.zendesk) {
      io.out(`${message.reference} is queued. No ticket system is configured here, so the server will send it when it has one.\n`);
      return 0;
    }
    await senderFor(config, outbox, createLogger('silent')).sendNow(message.id);
    const after = await outbox.find(message.id);
    io.out(`${message.reference} is ${after?.status ?? 'gone'}${after?.lastError ? ` (${after.lastError})` : ''}\n`);
    return after?.status === 'sent' ? 0 : 1;
  } finally {
    await outbox.close();
  }
}

if (require.main === module) {
  runMessagesCommand(process.argv.slice(2), loadConfig(process.env), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
