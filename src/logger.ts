import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs on stdout. Never log query strings, names, emails or message text. */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
