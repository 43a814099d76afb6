import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteFile } from '../../../shared/adapters/sqlite/sqlite-file.js';
import { openSqliteStateStore } from '../../../shared/adapters/sqlite/sqlite-state-store.js';
import { StateDatabaseError } from '../../../shared/adapters/sqlite/state-database-error.js';

describe('SQLite file for tables beside the state', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the folder for the owner only and a new file readable by the owner only', () => {
    const path = join(dir, 'state', 'notifier.sqlite');

    openSqliteFile({ path, schema: 'CREATE TABLE IF NOT EXISTS t (x)' }).close();

    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('shares the state store’s file, each with its own tables', async () => {
    const path = join(dir, 'notifier.sqlite');
    const store = openSqliteStateStore({ path });
    const db = openSqliteFile({ path, schema: 'CREATE TABLE IF NOT EXISTS extra (x TEXT)' });
    try {
      db.prepare('INSERT INTO extra (x) VALUES (?)').run('kept');
      await store.release('p1', 'local', { watermark: '2026-01-01T00:00:00.000Z', outboxDelivered: true });

      expect(db.prepare('SELECT x FROM extra').pluck().get()).toBe('kept');
      expect((await store.claim('p1', 'local', new Date()))?.watermark).toBe('2026-01-01T00:00:00.000Z');
    } finally {
      db.close();
      store.close();
    }
  });

  it('leaves auto_vacuum to the state store, which sets it on a file another module made first', () => {
    const path = join(dir, 'notifier.sqlite');
    const INCREMENTAL = 2;
    const sandboxFirst = openSqliteFile({ path, schema: 'CREATE TABLE IF NOT EXISTS extra (x TEXT)' });
    const before = sandboxFirst.pragma('auto_vacuum', { simple: true });
    sandboxFirst.close();

    openSqliteStateStore({ path }).close();

    const after = new Database(path, { readonly: true });
    expect(before).not.toBe(INCREMENTAL);
    expect(after.pragma('auto_vacuum', { simple: true })).toBe(INCREMENTAL);
    expect(after.prepare('SELECT count(*) FROM extra').pluck().get()).toBe(0);
    after.close();
  });

  it('names the file it cannot open', () => {
    const attempt = () => openSqliteFile({ path: join(dir, 'x.sqlite'), schema: 'NOT SQL' });

    expect(attempt).toThrow(StateDatabaseError);
    expect(attempt).toThrow(`Cannot open the state database ${join(dir, 'x.sqlite')}`);
  });
});
