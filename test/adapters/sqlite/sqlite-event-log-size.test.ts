import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStateStore } from '../../../shared/adapters/sqlite/sqlite-state-store.js';
import type { PendingChange } from '../../../shared/core/ports.js';
import { allListed, allOf, allRecorded, pendingChange } from '../contracts/recorded-changes.js';

/** The tables a schema-2 file has: documents (snapshots, events) in `WITHOUT ROWID` tables. */
const SCHEMA_2_WITHOUT_ROWID = `
  CREATE TABLE processes (
    process_id TEXT PRIMARY KEY, watermark TEXT, checkpoint TEXT, outbox_since TEXT, owner TEXT, lease_until INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE projects (
    process_id TEXT NOT NULL, project_id TEXT NOT NULL, hash TEXT NOT NULL, snapshot TEXT,
    sequence INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, numeric_id INTEGER,
    PRIMARY KEY (process_id, project_id)
  ) WITHOUT ROWID;
  CREATE TABLE quarantine (
    process_id TEXT NOT NULL, project_id TEXT NOT NULL, reason TEXT NOT NULL, since TEXT NOT NULL, body TEXT,
    PRIMARY KEY (process_id, project_id)
  ) WITHOUT ROWID;
  CREATE TABLE events (
    process_id TEXT NOT NULL, recorded_at TEXT NOT NULL, project_id TEXT NOT NULL, sequence INTEGER NOT NULL,
    hash TEXT NOT NULL, event TEXT NOT NULL,
    PRIMARY KEY (process_id, recorded_at, project_id, sequence)
  ) WITHOUT ROWID;
`;
/** Tables of the file still made `WITHOUT ROWID`, by name. */
function tablesWithoutRowid(db: Database.Database): string[] {
  return db
    .prepare<[], string>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID%' ORDER BY name",
    )
    .pluck()
    .all();
}

/** A file holds its header, schema and a few partly filled pages per table whatever its content. */
const FIXED_OVERHEAD_BYTES = 64 * 1024;
const EVENTS = 1_200;

/** Events of about 1 KB, as a deal's change with its snapshot is: the size the issue measured. */
function changesOfAboutOneKilobyte(count: number): PendingChange[] {
  return Array.from({ length: count }, (_, n) => {
    const projectId = `prj-${String(n % 60).padStart(6, '0')}`;
    return pendingChange('updated', projectId, Math.floor(n / 60) + 1, {
      processId: 'p1',
      project: { id: projectId, name: `Deal ${n}`, stage: `stage-${n}`, notes: 'Due diligence. '.repeat(40) },
    });
  });
}

function contentBytes(changes: readonly PendingChange[]): number {
  return changes.reduce((sum, change) => sum + Buffer.byteLength(JSON.stringify(change.event)), 0);
}

/** The database and its write-ahead log: what the user sees on disk. */
function bytesOnDisk(path: string): number {
  const wal = `${path}-wal`;
  return statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0);
}

/** One event per 2 s from `start`, one transaction each, as a poll loop records them. */
async function recordOneByOne(path: string, changes: readonly PendingChange[], start: Date): Promise<void> {
  const store = openSqliteStateStore({ path });
  for (const [n, change] of changes.entries()) {
    await store.recordChanges('p1', [change], new Date(start.getTime() + n * 2000));
  }
  store.close();
}

describe('SQLite event log size', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-size-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes about the bytes of the events it holds, not a page per event', async () => {
    const path = join(dir, 'notifier.sqlite');
    const changes = changesOfAboutOneKilobyte(EVENTS);
    const content = contentBytes(changes);
    expect(content / EVENTS).toBeGreaterThan(1_000);

    await recordOneByOne(path, changes, new Date());

    expect(bytesOnDisk(path)).toBeLessThanOrEqual(1.5 * content + FIXED_OVERHEAD_BYTES);
  });

  it('gives the space of events past their retention back to the file system when opened again', async () => {
    const path = join(dir, 'notifier.sqlite');
    const changes = changesOfAboutOneKilobyte(EVENTS);
    const keptChange = pendingChange('created', 'prj-kept', 1, { processId: 'p1' });
    await recordOneByOne(path, changes, new Date(Date.now() - 20 * 86_400_000));
    const withExpired = bytesOnDisk(path);
    const store = openSqliteStateStore({ path });
    await store.recordChanges('p1', [keptChange], new Date());
    store.close();

    const reopened = openSqliteStateStore({ path, eventRetentionDays: 14 });
    const recorded = await allRecorded(reopened, 'p1', { since: '2000-01-01T00:00:00.000Z' });
    reopened.close();

    expect(recorded.map((change) => change.event.id)).toEqual([keptChange.event.id]);
    expect(withExpired).toBeGreaterThan(contentBytes(changes));
    expect(bytesOnDisk(path)).toBeLessThanOrEqual(FIXED_OVERHEAD_BYTES);
  });

  it('opens a schema-2 file whose events take a page each, keeps its state and events, and shrinks it', async () => {
    const path = join(dir, 'schema-2.sqlite');
    const changes = changesOfAboutOneKilobyte(EVENTS);
    const keptBody = { id: 'prj-set-aside', notes: 'Kept whole. '.repeat(200) };
    const legacy = new Database(path);
    legacy.pragma('journal_mode = WAL');
    legacy.exec(SCHEMA_2_WITHOUT_ROWID);
    legacy.pragma('user_version = 2');
    const insert = legacy.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)');
    const recordedAt = new Date().toISOString();
    legacy.transaction(() => {
      for (const { event, state } of changes) {
        insert.run('p1', recordedAt, state.projectId, state.sequence, state.hash, JSON.stringify(event));
      }
    })();
    legacy
      .prepare(
        'INSERT INTO projects (process_id, project_id, hash, snapshot, sequence) VALUES (?, ?, ?, ?, ?)',
      )
      .run('p1', 'prj-a', 'h-a', '{"id":"prj-a","stage":"LOI"}', 4);
    legacy
      .prepare('INSERT INTO quarantine VALUES (?, ?, ?, ?, ?)')
      .run('p1', 'prj-set-aside', 'too deep', recordedAt, JSON.stringify(keptBody));
    legacy.close();
    const before = bytesOnDisk(path);

    const store = openSqliteStateStore({ path });
    const recorded = await allRecorded(store, 'p1', { since: '2000-01-01T00:00:00.000Z' });
    const listed = await allListed(store, 'p1');
    const quarantined = await allOf(store.listQuarantine('p1'));
    const kept = await allOf(store.keptInQuarantine('p1'));
    store.close();

    expect(recorded.map((change) => change.event.id).sort()).toEqual(
      changes.map((change) => change.event.id).sort(),
    );
    expect(listed).toEqual([
      { projectId: 'prj-a', hash: 'h-a', sequence: 4, snapshot: { id: 'prj-a', stage: 'LOI' } },
    ]);
    const setAside = { projectId: 'prj-set-aside', reason: 'too deep', since: recordedAt };
    expect(quarantined).toEqual([{ ...setAside, kept: true }]);
    expect(kept).toEqual([{ ...setAside, body: keptBody }]);
    expect(before).toBeGreaterThan(2.5 * contentBytes(changes));
    expect(bytesOnDisk(path)).toBeLessThanOrEqual(1.5 * contentBytes(changes) + FIXED_OVERHEAD_BYTES);
    const migrated = new Database(path, { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(3);
    expect(migrated.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(tablesWithoutRowid(migrated)).toEqual(['processes']);
    migrated.close();
  });
});
