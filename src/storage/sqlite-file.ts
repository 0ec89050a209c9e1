import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

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

/** The file as it is now, to notice it being deleted or replaced under an open connection. */
function identityOf(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** The file an open store uses is gone or replaced, and could not be made again. */
export class SqliteFileGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqliteFileGoneError';
  }
}

/** What became of a file found gone or replaced: made again at `file` with the rows the old one held. */
export interface SqliteRecovery {
  file: string;
  /** Rows copied from the old file, by table. */
  copied: Record<string, number>;
  /** Tables whose rows could not be read from the old file, with why. */
  failed: Record<string, string>;
}

export interface SqliteFileOptions<T> {
  dataDir: string;
  name: string;
  /** False for tools that read an existing store: a missing file is an error, and one removed while open is not made again. */
  create?: boolean;
  /** CREATE … IF NOT EXISTS statements, run on every file opened. */
  schema: readonly string[];
  /** How long a statement waits for another connection's lock. */
  busyTimeoutMs: number;
  /** Prepares statements (and opens any other connection it needs) on a connection just opened. */
  prepare(db: Database.Database): T;
  /** Closes what `prepare` opened besides `db`. */
  release?(prepared: T): void;
  /** Told each time the file was found gone or replaced and was made again. */
  onRecovered?(recovery: SqliteRecovery): void;
  /** Told when the file was found gone or replaced and could not be made again (once until it works again). */
  onRecoveryFailed?(error: Error, file: string): void;
}

export interface SqliteFile<T> {
  readonly file: string;
  /**
   * The connection and statements for the file at the path. If the file was removed or replaced
   * since it was opened (DATA_DIR deleted, or swapped for another folder), it is made again
   * first, with every row the old connection can still read, and used from then on. Throws
   * SqliteFileGoneError if it cannot be (and tries again at the next call).
   */
  current(): { db: Database.Database; prepared: T };
  close(): void;
}

function openConnection(file: string, options: { schema: readonly string[]; busyTimeoutMs: number; fileMustExist?: boolean }) {
  const db = new Database(file, { fileMustExist: options.fileMustExist === true });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs))}`);
    for (const statement of options.schema) db.exec(statement);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${quoted(table)})`) as { name: string }[]).map((column) => column.name);
}

/**
 * Copies every row `from` can read into `to`, table by table, for the columns both have. A row
 * `to` has already (same key) is replaced: what the old connection last wrote is the newest.
 */
function copyRows(from: Database.Database, to: Database.Database): Pick<SqliteRecovery, 'copied' | 'failed'> {
  const copied: Record<string, number> = {};
  const failed: Record<string, string> = {};
  const tables = (
    to.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]
  ).map((row) => row.name);
  for (const table of tables) {
    try {
      const theirs = new Set(columnsOf(from, table));
      const columns = columnsOf(to, table).filter((column) => theirs.has(column));
      if (columns.length === 0) continue;
      const list = columns.map(quoted).join(', ');
      const insert = to.prepare(`INSERT OR REPLACE INTO ${quoted(table)} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
      const rows = from
        .prepare(`SELECT ${list} FROM ${quoted(table)}`)
        .raw()
        .all() as unknown[][];
      to.transaction(() => {
        for (const row of rows) insert.run(...row);
      }).immediate();
      copied[table] = rows.length;
    } catch (error) {
      failed[table] = (error as Error).message;
    }
  }
  return { copied, failed };
}

/**
 * An SQLite file in DATA_DIR that outlives its folder: WAL with synchronous=FULL, and checked on
 * every use. A connection whose file was deleted goes on reading and writing a file nobody can
 * open again, so everything written after the deletion would be lost at the next restart. So
 * `current()` notices the file gone or replaced, makes DATA_DIR and the file again (modes 700
 * and 600), copies every row the old connection can still read into it, and switches to it.
 * The contact outbox and the insight store both keep their files this way.
 */
export function openSqliteFile<T>(options: SqliteFileOptions<T>): SqliteFile<T> {
  const file = path.join(options.dataDir, options.name);
  const create = options.create !== false;
  if (create) prepareSqliteFile(options.dataDir, options.name);
  let db = openConnection(file, { ...options, fileMustExist: !create });
  let prepared = options.prepare(db);
  let identity = identityOf(file);
  let failing = false;

  const recover = (): void => {
    if (!create) throw new SqliteFileGoneError(`${file} was removed or replaced (is DATA_DIR still there?)`);
    let fresh: Database.Database | undefined;
    let result: Pick<SqliteRecovery, 'copied' | 'failed'>;
    let next: T;
    try {
      prepareSqliteFile(options.dataDir, options.name);
      fresh = openConnection(file, options);
      result = copyRows(db, fresh);
      next = options.prepare(fresh);
    } catch (error) {
      fresh?.close();
      if (!failing) options.onRecoveryFailed?.(error as Error, file);
      failing = true;
      throw new SqliteFileGoneError(`${file} was removed or replaced and cannot be made again: ${(error as Error).message}`);
    }
    // Closing the old connection leaves the new file's WAL alone: SQLite tells the files apart.
    options.release?.(prepared);
    db.close();
    db = fresh;
    prepared = next;
    identity = identityOf(file);
    failing = false;
    options.onRecovered?.({ file, ...result });
  };

  return {
    file,
    current() {
      if (!db.open) throw new SqliteFileGoneError(`${file} is closed`);
      if (identityOf(file) !== identity) recover();
      return { db, prepared };
    },
    close() {
      if (!db.open) return;
      options.release?.(prepared);
      db.close();
    },
  };
}
