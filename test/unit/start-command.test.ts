import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** The JSON-array CMD of the Dockerfile. */
function dockerCommand(): string[] {
  const line = fs
    .readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('CMD ['));
  if (!line) throw new Error('the Dockerfile has no CMD [...] line');
  return JSON.parse(line.slice('CMD '.length)) as string[];
}

describe('the command that starts the server', () => {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    .start!;

  it('is the same in the image as for npm start, flags and all', () => {
    expect(dockerCommand()).toEqual(start.split(' '));
  });

  it('is the one the benchmarks start', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the benchmarks are plain CommonJS
    const { serverArgs } = require('../../bench/scale/server-command') as { serverArgs: () => string[] };
    expect(['node', ...serverArgs().map((arg) => (path.isAbsolute(arg) ? path.relative(ROOT, arg) : arg))]).toEqual(start.split(' '));
  });
});
