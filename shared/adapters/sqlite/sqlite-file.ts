/**
 * Opens the local mode's SQLite file for one more set of tables beside the state store's (the webhook
 * delivery queue, the sandbox's workspace): a connection of its own to the same file, so each module
 * owns its tables and one file still holds everything a run needs to resume. The folder is created
 * for the owner only and a new file readable by the owner only: it holds deal snapshots.
 * Layer: adapter.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StateDatabaseError } from './state-database-error.js';

export interface SqliteFileOptions {
  /** The file, or `:memory:` for a throw-away database. */
  readonly path: string;
  /** `CREATE TABLE IF NOT EXISTS …` statements of the caller's tables. */
  readonly schema: string;
  /** How long a write waits for another connection holding the lock. @default 5000 */
  readonly busyTimeoutMs?: number;
}

/**
 * The settings of every connection to the local file. WAL: readers never wait for a writer, and a crash
 * keeps whole transactions. `auto_vacuum` is left to the state store, the one that runs
 * `incremental_vacuum` (which gives back the pages every table of the file freed): a file of another
 * module's alone would carry its bookkeeping pages and never shrink.
 */
export function useLocalPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

export function openSqliteFile(options: SqliteFileOptions): Database.Database {
  const path = options.path === ':memory:' ? ':memory:' : resolve(options.path);
  let db: Database.Database | undefined;
  try {
    const created = path !== ':memory:' && !existsSync(path);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    if (created) chmodSync(path, 0o600);
    useLocalPragmas(db);
    db.exec(options.schema);
    return db;
  } catch (e: unknown) {
    db?.close();
    const reason = e instanceof Error ? e.message : String(e);
    throw new StateDatabaseError(`Cannot open the state database ${path}: ${reason}`, { cause: e });
  }
}
