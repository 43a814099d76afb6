/**
 * Opens the local mode's SQLite file for one more set of tables beside the state store's (the webhook
 * delivery queue, the sandbox's workspace): a connection of its own to the same file, so each module
 * owns its tables and one file still holds everything a run needs to resume. Every connection to the
 * file, the state store's too, is opened by `openLocalConnection`.
 * Layer: adapter.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
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
  return openLocalConnection(path, options.busyTimeoutMs ?? 5000, (db) => {
    useLocalPragmas(db);
    db.exec(options.schema);
  });
}

/**
 * A connection to the local file at `path` (resolved, or `:memory:`), given to `setUp` for its pragmas
 * and tables before it is handed out. Deal snapshots are private: folders made here are the user's
 * alone, and so is a new file (SQLite gives its WAL and shared-memory files the database file's mode).
 * Whatever fails closes the connection and names the file; a StateDatabaseError `setUp` throws is
 * passed on as it is.
 */
export function openLocalConnection(
  path: string,
  busyTimeoutMs: number,
  setUp: (db: Database.Database) => void,
): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      closeSync(openSync(path, 'a', 0o600));
    }
    db = new Database(path, { timeout: busyTimeoutMs });
    setUp(db);
    return db;
  } catch (e: unknown) {
    db?.close();
    if (e instanceof StateDatabaseError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new StateDatabaseError(`Cannot open the state database ${path}: ${reason}`, { cause: e });
  }
}
