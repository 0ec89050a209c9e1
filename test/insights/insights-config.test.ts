import { ConfigError, loadConfig } from '../../src/config';

describe('feedback settings', () => {
  it('has defaults: no export endpoint, comments kept 180 days, 20 posts per 10 minutes', () => {
    expect(loadConfig({}).feedback).toEqual({ url: undefined, retentionDays: 180, rateLimit: { max: 20, windowMs: 600_000 } });
  });

  it('reads FEEDBACK_URL, FEEDBACK_RETENTION_DAYS and FEEDBACK_RATE_LIMIT', () => {
    const { feedback } = loadConfig({
      FEEDBACK_URL: 'https://help.example.nhs.uk/feedback',
      FEEDBACK_RETENTION_DAYS: '30',
      FEEDBACK_RATE_LIMIT: '3',
    });
    expect(feedback).toEqual({ url: 'https://help.example.nhs.uk/feedback', retentionDays: 30, rateLimit: { max: 3, windowMs: 600_000 } });
  });

  it.each([
    [{ FEEDBACK_URL: 'not a url' }, 'FEEDBACK_URL must be an absolute http(s) URL'],
    [{ FEEDBACK_URL: 'ftp://example.com/feedback' }, 'FEEDBACK_URL must be an http(s) URL'],
    [{ FEEDBACK_RETENTION_DAYS: '0' }, 'FEEDBACK_RETENTION_DAYS must be a whole number of at least 1'],
    [{ FEEDBACK_RATE_LIMIT: 'lots' }, 'FEEDBACK_RATE_LIMIT must be a whole number of at least 1'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
