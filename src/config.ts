import path from 'node:path';

export interface Config {
  port: number;
  /** Absolute path of the content folder. */
  contentDir: string;
  /** Absolute path of our own templates. */
  viewsDir: string;
  /** Absolute path of our own static files (CSS, JS). */
  publicDir: string;
  /** Public origin and base path of the site, without a trailing slash, e.g. https://help.login.nhs.uk */
  baseUrl: string;
  production: boolean;
  /** Development mode: watch content, views and src, re-render on change. */
  watch: boolean;
  logLevel: string;
  robotsDisallowAll: boolean;
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

/** Parses BASE_URL and returns it without a trailing slash. */
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
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false (got "${value}")`);
}

/** The only reader of environment variables. */
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
    robotsDisallowAll: parseBoolean('ROBOTS_DISALLOW_ALL', env.ROBOTS_DISALLOW_ALL),
  };
}

/** Joins the site's base URL and a site path: canonicalUrl('https://x.nhs.uk/help', '/manage') */
export function canonicalUrl(baseUrl: string, sitePath: string): string {
  if (sitePath === '/' || sitePath === '') return `${baseUrl}/`;
  return `${baseUrl}${sitePath.startsWith('/') ? '' : '/'}${sitePath}`;
}
