import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface SourceFile {
  /** Path relative to the content folder, with forward slashes: `manage/mobile-phone.md`. */
  relativePath: string;
  /** Path relative to the working directory, used in messages: `content/manage/mobile-phone.md`. */
  displayPath: string;
  /** The file's text; emptied once start-up has parsed the file (see parseContent), as nothing reads it again. */
  text: string;
  /** The file's modification time. */
  modified: Date;
  /** The date of the file's last git commit, when the folder is in a git checkout. */
  committed?: Date;
  /** Where a page's file is and how it was when read, so that it can be read again (see readAgain). */
  origin?: FileOrigin;
}

/** A page file's absolute path, and its modification time, size and inode when it was read. */
export interface FileOrigin {
  path: string;
  stamp: string;
}

/** A file as its stamp: it is taken to be unchanged while its modification time, size and inode are. */
function stampOf(stat: fs.Stats): string {
  return `${stat.mtimeMs} ${stat.size} ${stat.ino}`;
}

/** Thrown when a page file is read again and is not what was loaded: the server must be restarted to load it. */
export class FileChangedError extends Error {}

/** A page file read again, for its text: the same file as `file`, or FileChangedError. */
export function readAgain(file: Omit<SourceFile, 'text'>): SourceFile {
  const origin = file.origin;
  const changed = (): FileChangedError =>
    new FileChangedError(`${file.displayPath} changed or was removed after the server started; restart the server to load it`);
  if (!origin) throw changed();
  try {
    const text = fs.readFileSync(origin.path, 'utf8');
    if (stampOf(fs.statSync(origin.path)) !== origin.stamp) throw changed();
    return { ...file, text };
  } catch (error) {
    throw error instanceof FileChangedError ? error : changed();
  }
}

/** The only URL rule: `manage/index.md` -> `/manage`, `manage/mobile-phone.md` -> `/manage/mobile-phone`. */
export function urlFromPath(relativePath: string): string {
  const withoutExt = relativePath.replace(/\\/g, '/').replace(/\.md$/, '');
  const trimmed = withoutExt === 'index' ? '' : withoutExt.replace(/\/index$/, '');
  return `/${trimmed}`;
}

function displayPathOf(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative.split(path.sep).join('/');
}

/**
 * The date of the last commit of every file under a folder, from one `git log`, by absolute path.
 * Empty when git or the checkout is missing: callers fall back to modification times.
 */
export function gitCommitDates(dir: string): Map<string, Date> {
  const dates = new Map<string, Date>();
  try {
    const run = (args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, maxBuffer: 64 * 1024 * 1024 });
    const top = run(['rev-parse', '--show-toplevel']).trim();
    let date: Date | undefined;
    for (const line of run(['log', '--format=@%cI', '--name-only', '--no-renames', '--', '.']).split('\n')) {
      if (line.startsWith('@')) date = new Date(line.slice(1));
      else if (line && date) {
        const file = path.join(top, line);
        if (!dates.has(file)) dates.set(file, date);
      }
    }
  } catch {
    // Not a git checkout, or git is not installed.
  }
  return dates;
}

/**
 * What readContentFiles read last time, for development mode: a file whose modification time,
 * size and inode are unchanged is not read again, and is the same SourceFile object as before
 * (so what was built from it can be reused). Commit dates are looked up once.
 */
export class ContentFileReuse {
  files = new Map<string, { stamp: string; file: SourceFile }>();
  committed?: Map<string, Date>;
}

/**
 * Every markdown file under the content folder, in a stable order. Folders and files whose
 * names start with `_` or `.` are not pages (`_data/` holds data files).
 */
export function readContentFiles(contentDir: string, reuse?: ContentFileReuse): SourceFile[] {
  if (!fs.existsSync(contentDir) || !fs.statSync(contentDir).isDirectory()) {
    throw new Error(`Content folder not found: ${contentDir}`);
  }
  const files: SourceFile[] = [];
  const committed = reuse?.committed ?? gitCommitDates(contentDir);
  const seen = new Map<string, { stamp: string; file: SourceFile }>();
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.md')) {
        const stat = fs.statSync(full);
        const stamp = stampOf(stat);
        const before = reuse?.files.get(full);
        const file =
          before?.stamp === stamp
            ? before.file
            : {
                relativePath: path.relative(contentDir, full).split(path.sep).join('/'),
                displayPath: displayPathOf(full),
                text: fs.readFileSync(full, 'utf8'),
                modified: stat.mtime,
                committed: committed.size > 0 ? (committed.get(fs.realpathSync(full)) ?? committed.get(full)) : undefined,
                origin: { path: path.resolve(full), stamp },
              };
        seen.set(full, { stamp, file });
        files.push(file);
      }
    }
  };
  walk(contentDir);
  if (reuse) {
    reuse.files = seen;
    reuse.committed = committed;
  }
  return files;
}

/** The folder of data files under the content folder: services, retired codes, the ledger. */
export const DATA_DIR = '_data';
/** The folder of images under the content folder, written in markdown as `/images/<name>`. */
export const IMAGES_DIR = '_images';

/** A data file under `content/_data/`, or undefined when there is none. */
export function readDataFile(contentDir: string, name: string): SourceFile | undefined {
  const full = path.join(contentDir, DATA_DIR, name);
  if (!fs.existsSync(full) || !fs.statSync(full).isFile()) return undefined;
  return {
    relativePath: `${DATA_DIR}/${name}`,
    displayPath: displayPathOf(full),
    text: fs.readFileSync(full, 'utf8'),
    modified: fs.statSync(full).mtime,
  };
}

/** An image file under `content/_images/`, read as bytes. */
export interface ImageFile {
  /** Path under the images folder, with forward slashes: `nhs-app/login.png`. */
  name: string;
  displayPath: string;
  bytes: Buffer;
}

/** Every image file under `content/_images/` (names starting with `.` are skipped). */
export function readImageFiles(contentDir: string): ImageFile[] {
  const root = path.join(contentDir, IMAGES_DIR);
  const images: ImageFile[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        images.push({ name: path.relative(root, full).split(path.sep).join('/'), displayPath: displayPathOf(full), bytes: fs.readFileSync(full) });
      }
    }
  };
  walk(root);
  return images;
}
