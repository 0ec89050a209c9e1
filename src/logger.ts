import pino from 'pino';

export type Logger = pino.Logger;

export type LogFormat = 'json' | 'pretty';

/**
 * Logs on stdout with level names (`"level":"info"`), as JSON lines for log collectors, or as
 * readable lines for a person (`LOG_FORMAT=pretty`, which `npm run dev` sets). Never log query
 * strings, names, emails or message text.
 */
export function createLogger(level: string, format: LogFormat = 'json', destination: pino.DestinationStream = process.stdout): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (format === 'pretty') {
    // pino-pretty is a development dependency: fall back to JSON where it is not installed.
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pretty = require('pino-pretty') as (options: Record<string, unknown>) => pino.DestinationStream;
      return pino(options, pretty({ sync: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname', destination, colorize: false }));
    } catch {
      return pino(options, destination);
    }
  }
  return pino(options, destination);
}
