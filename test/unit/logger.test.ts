import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logs', () => {
  it('name the level instead of numbering it in JSON lines', () => {
    const out = capture();
    createLogger('info', 'json', out.stream).warn({ port: 3000 }, 'listening');
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', port: 3000, msg: 'listening' });
  });

  it('print a readable line for a person in pretty format', () => {
    const out = capture();
    createLogger('info', 'pretty', out.stream).info({ pages: 3 }, 'content reloaded');
    expect(out.text()).toMatch(/INFO.*content reloaded/);
    expect(out.text()).toContain('pages: 3');
    expect(() => JSON.parse(out.text()) as unknown).toThrow();
  });

  it('leave out levels below the one asked for', () => {
    const out = capture();
    createLogger('warn', 'json', out.stream).info('request');
    expect(out.text()).toBe('');
  });

  it('refuse an unknown LOG_FORMAT with a message naming it', () => {
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT must be json or pretty (got "xml")');
  });
});
