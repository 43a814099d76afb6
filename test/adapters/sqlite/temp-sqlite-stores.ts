/** SQLite state stores on files of a fresh temporary folder per test, all closed and removed after it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import {
  openSqliteStateStore,
  type SqliteStateStore,
  type SqliteStateStoreOptions,
} from '../../../shared/adapters/sqlite/sqlite-state-store.js';

export interface TempSqliteStores {
  /** The current test's folder. */
  dir(): string;
  /** Opens a store (by default on `notifier.sqlite` in the folder), closed after the test. */
  open(options?: SqliteStateStoreOptions): SqliteStateStore;
}

export function useTempSqliteStores(prefix: string): TempSqliteStores {
  let dir = '';
  const opened: SqliteStateStore[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    open(options = {}) {
      const store = openSqliteStateStore({ path: join(dir, 'notifier.sqlite'), ...options });
      opened.push(store);
      return store;
    },
  };
}
