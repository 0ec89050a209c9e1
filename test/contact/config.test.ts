import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('contact settings', () => {
  it('defaults to SQLite under ./data, no ticket system, 5 messages in 10 minutes and 30 days of sent messages', () => {
    const { contact, trustProxy } = loadConfig({});
    expect(contact).toMatchObject({
      dataDir: path.resolve(__dirname, '..', '..', 'data'),
      databaseUrl: undefined,
      zendesk: undefined,
      secret: undefined,
      rateLimit: { max: 5, windowMs: 600_000 },
      retentionDays: 30,
      sender: { maxAttempts: 20 },
    });
    expect(trustProxy).toBe(0);
  });

  it('reads every variable', () => {
    const { contact, trustProxy } = loadConfig({
      DATA_DIR: '/var/lib/help',
      DATABASE_URL: 'postgres://u@db/help',
      ZENDESK_URL: 'https://nhslogin.zendesk.com/',
      ZENDESK_EMAIL: 'api@example.com',
      ZENDESK_API_TOKEN: 't0ken',
      ZENDESK_TIMEOUT_MS: '5000',
      CONTACT_SECRET: 's',
      CONTACT_RATE_LIMIT: '3',
      MESSAGE_RETENTION_DAYS: '7',
      SENDER_POLL_MS: '100',
      SENDER_RETRY_BASE_MS: '200',
      SENDER_RETRY_MAX_MS: '300',
      SENDER_FAILED_RETRY_MS: '4000',
      CONTACT_FORM_TTL_MS: '60000',
      DATABASE_TIMEOUT_MS: '700',
      TRUST_PROXY: '1',
    });
    expect(contact).toEqual({
      dataDir: '/var/lib/help',
      databaseUrl: 'postgres://u@db/help',
      zendesk: { url: 'https://nhslogin.zendesk.com', email: 'api@example.com', apiToken: 't0ken', timeoutMs: 5000 },
      secret: 's',
      rateLimit: { max: 3, windowMs: 600_000 },
      formTokenTtlMs: 60_000,
      databaseTimeoutMs: 700,
      retentionDays: 7,
      sender: { pollMs: 100, baseDelayMs: 200, maxDelayMs: 300, maxAttempts: 20, failedRetryMs: 4000 },
    });
    expect(trustProxy).toBe(1);
  });

  it('reads the server limits and shutdown settings, with defaults', () => {
    expect(loadConfig({}).server).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 1000,
      readyTimeoutMs: 2000,
      shutdownDrainMs: 5000,
      shutdownTimeoutMs: 20_000,
    });
    expect(
      loadConfig({
        HEADERS_TIMEOUT_MS: '1000',
        REQUEST_TIMEOUT_MS: '2000',
        KEEP_ALIVE_TIMEOUT_MS: '65000',
        MAX_CONNECTIONS: '50',
        READY_TIMEOUT_MS: '300',
        SHUTDOWN_DRAIN_MS: '0',
        SHUTDOWN_TIMEOUT_MS: '500',
      }).server,
    ).toEqual({
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 50,
      readyTimeoutMs: 300,
      shutdownDrainMs: 0,
      shutdownTimeoutMs: 500,
    });
  });

  it.each([
    [{ ZENDESK_URL: 'https://x.zendesk.com' }, 'ZENDESK_EMAIL and ZENDESK_API_TOKEN must be set with ZENDESK_URL'],
    [{ ZENDESK_URL: 'http://x.zendesk.com', ZENDESK_EMAIL: 'a', ZENDESK_API_TOKEN: 'b' }, 'ZENDESK_URL must be an https origin'],
    [{ ZENDESK_URL: 'https://x.zendesk.com/api', ZENDESK_EMAIL: 'a', ZENDESK_API_TOKEN: 'b' }, 'ZENDESK_URL must be an https origin'],
    [{ ZENDESK_URL: 'zendesk', ZENDESK_EMAIL: 'a', ZENDESK_API_TOKEN: 'b' }, 'ZENDESK_URL must be an absolute https URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres://'],
    [{ CONTACT_RATE_LIMIT: '0' }, 'CONTACT_RATE_LIMIT must be a whole number of at least 1 (got "0")'],
    [{ MESSAGE_RETENTION_DAYS: 'forever' }, 'MESSAGE_RETENTION_DAYS must be a whole number'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY must be a whole number'],
    [{ MAX_CONNECTIONS: '0' }, 'MAX_CONNECTIONS must be a whole number of at least 1'],
    [{ SHUTDOWN_DRAIN_MS: '-1' }, 'SHUTDOWN_DRAIN_MS must be a whole number'],
    [{ DATABASE_TIMEOUT_MS: 'soon' }, 'DATABASE_TIMEOUT_MS must be a whole number'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('allows plain http only for a ticket system on loopback', () => {
    expect(loadConfig({ ZENDESK_URL: 'http://127.0.0.1:8080', ZENDESK_EMAIL: 'a', ZENDESK_API_TOKEN: 'b' }).contact.zendesk?.url).toBe(
      'http://127.0.0.1:8080',
    );
  });
});
