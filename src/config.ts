import type { LogFormat } from './logger';
import path from 'node:path';

export interface Config {
  port: number;
  /** Absolute path of the content folder. */
  contentDir: string;
  /** Absolute path of our own templates. */
  viewsDir: string;
  /** Absolute path of our own static files (CSS, JS). */
  publicDir: string;
  /** Public origin of the site, without a trailing slash, e.g. https://help.login.nhs.uk */
  baseUrl: string;
  production: boolean;
  /** Development mode: watch content, views and src, re-render on change. */
  watch: boolean;
  logLevel: string;
  /** `json` (default) for log collectors, `pretty` for a person reading the terminal. */
  logFormat: LogFormat;
  robotsDisallowAll: boolean;
  /** How many proxies in front of the app to trust for the client address (Express "trust proxy"). */
  trustProxy: number;
  server: ServerConfig;
  contact: ContactConfig;
  feedback: FeedbackConfig;
}

/** "Was this page helpful?": where the static export posts, how long comments are kept, the rate limit. */
export interface FeedbackConfig {
  /** The feedback endpoint the static export's form posts to; without it the export leaves the form out. */
  url?: string;
  /** Comments are deleted this many days after they were written (the votes stay). */
  retentionDays: number;
  /** Feedback posts per client per window, across replicas with PostgreSQL. */
  rateLimit: { max: number; windowMs: number };
}

/** Limits on connections, and how the server stops. */
export interface ServerConfig {
  /** A client must send its request headers within this. */
  headersTimeoutMs: number;
  /** A client must send its whole request (headers and body) within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are closed as they arrive. */
  maxConnections: number;
  /** /readyz gives up on the outbox check after this. */
  readyTimeoutMs: number;
  /** After SIGTERM, how long /readyz fails while requests are still served, so a load balancer can drain. */
  shutdownDrainMs: number;
  /** After the drain, how long in-flight requests and the sender have before the process is stopped (exit 1). */
  shutdownTimeoutMs: number;
}

/** The contact form, its outbox and the sender that forwards messages to the ticket system. */
export interface ContactConfig {
  /** Absolute path of the folder holding the SQLite outbox. */
  dataDir: string;
  /** postgres://… to keep the outbox in PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** Unset means no ticket system: messages stay in the outbox. */
  zendesk?: ZendeskConfig;
  /** Signs form tokens; random per process when unset, so set it when running several replicas. */
  secret?: string;
  /** Accepted messages per client per window. */
  rateLimit: { max: number; windowMs: number };
  /** How long a form is accepted after it was shown. */
  formTokenTtlMs: number;
  /** The longest a PostgreSQL call may take (and how long SQLite waits for a lock). */
  databaseTimeoutMs: number;
  /** Sent messages are deleted this many days after sending. */
  retentionDays: number;
  sender: SenderConfig;
}

export interface ZendeskConfig {
  /** Origin of the Zendesk account, without a trailing slash, e.g. https://nhslogin.zendesk.com */
  url: string;
  email: string;
  apiToken: string;
  timeoutMs: number;
}

export interface SenderConfig {
  /** How often to look for messages that are due. */
  pollMs: number;
  /** First retry delay; each failure doubles it, with jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures after which a message is kept as failed. */
  maxAttempts: number;
  /** How often a failed message is tried again. */
  failedRetryMs: number;
}

export class ConfigError extends Error {}

const projectRoot = path.resolve(__dirname, '..');

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535 (got "${value}")`);
  }
  return port;
}

/** Parses BASE_URL: the origin the site is served at, returned without a trailing slash. */
export function parseBaseUrl(value: string | undefined, port: number): string {
  const raw = value && value.trim() !== '' ? value.trim() : `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`BASE_URL must be an absolute http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`BASE_URL must start with http:// or https:// (got "${raw}")`);
  }
  if (url.search || url.hash) throw new ConfigError(`BASE_URL must not have a query or fragment (got "${raw}")`);
  // Pages link to each other from the root, so the site must be served at the root of its host.
  if (url.pathname.replace(/\/+$/, '') !== '') {
    throw new ConfigError(`BASE_URL must be the site's origin, such as https://help.example.nhs.uk, with no path (got "${raw}")`);
  }
  return url.origin;
}

function parseBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false (got "${value}")`);
}

function parseWholeNumber(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min) {
    throw new ConfigError(`${name} must be a whole number of at least ${min} (got "${value}")`);
  }
  return number;
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** The Zendesk settings: all three variables, or none. Plain http is allowed only on loopback. */
export function parseZendesk(env: NodeJS.ProcessEnv): ZendeskConfig | undefined {
  const names = ['ZENDESK_URL', 'ZENDESK_EMAIL', 'ZENDESK_API_TOKEN'] as const;
  const set = names.filter((name) => (env[name] ?? '').trim() !== '');
  if (set.length === 0) return undefined;
  const missing = names.filter((name) => !set.includes(name));
  if (missing.length > 0) throw new ConfigError(`${missing.join(' and ')} must be set with ${set.join(' and ')}`);
  const raw = env.ZENDESK_URL!.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`ZENDESK_URL must be an absolute https URL (got "${raw}")`);
  }
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  if (!allowed || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new ConfigError(`ZENDESK_URL must be an https origin such as https://example.zendesk.com (got "${raw}")`);
  }
  return {
    url: url.origin,
    email: env.ZENDESK_EMAIL!.trim(),
    apiToken: env.ZENDESK_API_TOKEN!.trim(),
    timeoutMs: parseWholeNumber('ZENDESK_TIMEOUT_MS', env.ZENDESK_TIMEOUT_MS, 10_000, 100),
  };
}

function parseDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(value.trim())) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return value.trim();
}

export function parseContact(env: NodeJS.ProcessEnv): ContactConfig {
  return {
    dataDir: path.resolve(env.DATA_DIR || path.join(projectRoot, 'data')),
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    zendesk: parseZendesk(env),
    secret: env.CONTACT_SECRET ? env.CONTACT_SECRET : undefined,
    rateLimit: { max: parseWholeNumber('CONTACT_RATE_LIMIT', env.CONTACT_RATE_LIMIT, 5, 1), windowMs: 10 * 60_000 },
    formTokenTtlMs: parseWholeNumber('CONTACT_FORM_TTL_MS', env.CONTACT_FORM_TTL_MS, 2 * 60 * 60_000, 1000),
    databaseTimeoutMs: parseWholeNumber('DATABASE_TIMEOUT_MS', env.DATABASE_TIMEOUT_MS, 5000, 100),
    retentionDays: parseWholeNumber('MESSAGE_RETENTION_DAYS', env.MESSAGE_RETENTION_DAYS, 30, 1),
    sender: {
      pollMs: parseWholeNumber('SENDER_POLL_MS', env.SENDER_POLL_MS, 5_000, 10),
      baseDelayMs: parseWholeNumber('SENDER_RETRY_BASE_MS', env.SENDER_RETRY_BASE_MS, 10_000, 1),
      maxDelayMs: parseWholeNumber('SENDER_RETRY_MAX_MS', env.SENDER_RETRY_MAX_MS, 60 * 60_000, 1),
      maxAttempts: 20,
      failedRetryMs: parseWholeNumber('SENDER_FAILED_RETRY_MS', env.SENDER_FAILED_RETRY_MS, 6 * 60 * 60_000, 1000),
    },
  };
}

export function parseServer(env: NodeJS.ProcessEnv): ServerConfig {
  return {
    headersTimeoutMs: parseWholeNumber('HEADERS_TIMEOUT_MS', env.HEADERS_TIMEOUT_MS, 10_000, 100),
    requestTimeoutMs: parseWholeNumber('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS, 30_000, 100),
    keepAliveTimeoutMs: parseWholeNumber('KEEP_ALIVE_TIMEOUT_MS', env.KEEP_ALIVE_TIMEOUT_MS, 5000, 100),
    maxConnections: parseWholeNumber('MAX_CONNECTIONS', env.MAX_CONNECTIONS, 1000, 1),
    readyTimeoutMs: parseWholeNumber('READY_TIMEOUT_MS', env.READY_TIMEOUT_MS, 2000, 10),
    shutdownDrainMs: parseWholeNumber('SHUTDOWN_DRAIN_MS', env.SHUTDOWN_DRAIN_MS, 5000, 0),
    shutdownTimeoutMs: parseWholeNumber('SHUTDOWN_TIMEOUT_MS', env.SHUTDOWN_TIMEOUT_MS, 20_000, 100),
  };
}

/** FEEDBACK_URL: an absolute http(s) URL that takes the feedback form's POST, e.g. https://help.example.nhs.uk/feedback */
function parseFeedbackUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`FEEDBACK_URL must be an absolute http(s) URL (got "${value}")`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.hash) {
    throw new ConfigError(`FEEDBACK_URL must be an http(s) URL such as https://help.example.nhs.uk/feedback (got "${value}")`);
  }
  return url.toString();
}

export function parseFeedback(env: NodeJS.ProcessEnv): FeedbackConfig {
  return {
    url: parseFeedbackUrl(env.FEEDBACK_URL),
    retentionDays: parseWholeNumber('FEEDBACK_RETENTION_DAYS', env.FEEDBACK_RETENTION_DAYS, 180, 1),
    rateLimit: { max: parseWholeNumber('FEEDBACK_RATE_LIMIT', env.FEEDBACK_RATE_LIMIT, 20, 1), windowMs: 10 * 60_000 },
  };
}

/** The only reader of environment variables. */
function parseLogFormat(value: string | undefined): LogFormat {
  if (!value) return 'json';
  if (value === 'json' || value === 'pretty') return value;
  throw new Error(`LOG_FORMAT must be json or pretty (got "${value}")`);
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const port = parsePort(env.PORT);
  return {
    port,
    contentDir: path.resolve(env.CONTENT_DIR || path.join(projectRoot, 'content')),
    viewsDir: path.join(projectRoot, 'views'),
    publicDir: path.join(projectRoot, 'public'),
    baseUrl: parseBaseUrl(env.BASE_URL, port),
    production: env.NODE_ENV === 'production',
    watch: parseBoolean('WATCH', env.WATCH),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    logFormat: parseLogFormat(env.LOG_FORMAT),
    robotsDisallowAll: parseBoolean('ROBOTS_DISALLOW_ALL', env.ROBOTS_DISALLOW_ALL),
    trustProxy: parseWholeNumber('TRUST_PROXY', env.TRUST_PROXY, 0),
    server: parseServer(env),
    contact: parseContact(env),
    feedback: parseFeedback(env),
  };
}
