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
 * The settings of every connection to the local file. `auto_vacuum` comes first: SQLite takes it only
 * before the file's first table, and then gives the pages that deletions free back to the file system
 * when asked (`PRAGMA incremental_vacuum`), so the file shrinks with the event log's retention instead of
 * keeping its largest size forever; a file made before it is converted once by the state store. WAL:
 * readers never wait for a writer, and a crash keeps whole transactions.
 */
export function useLocalPragmas(db: Database.Database): void {
  db.pragma('auto_vacuum = INCREMENTAL');
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
