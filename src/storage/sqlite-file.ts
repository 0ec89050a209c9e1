import fs from 'node:fs';
import path from 'node:path';

/**
 * Creates `dataDir` (mode 700) and the SQLite file `name` in it (mode 600) if they do not exist
 * yet, and returns the file's path. The contact outbox and the insight store each keep a file
 * of their own there.
 */
export function prepareSqliteFile(dataDir: string, name: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, name);
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  fs.chmodSync(file, 0o600);
  return file;
}
