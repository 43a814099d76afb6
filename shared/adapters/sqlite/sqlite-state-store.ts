/**
 * StateStore on an embedded SQLite database (better-sqlite3), for the local mode.
 * Layer: adapter.
 *
 * Crash safety: every write is one transaction in a write-ahead log, so a crash (or Ctrl-C, or a power cut)
 * leaves either the whole batch or none of it. `synchronous=NORMAL` is chosen over `FULL`: in WAL mode it
 * never corrupts the database and only risks losing the last commits on a power cut or OS crash, not on a
 * process crash. Losing them is safe here, because state is saved after events are published: a lost save
 * means those events are published again with the same ids (consumers de-duplicate) and a lost watermark
 * means the window is read again. `FULL` would add an fsync per page for no correctness gain.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import type {
  Checkpoint,
  Clock,
  PendingChange,
  ProcessClaim,
  ProcessStore,
  QuarantinedProject,
  QuarantineEntry,
  RecordedChange,
  RecordedRange,
  RunEnd,
  StateStore,
  StoredProject,
} from '../../core/ports.js';
import { stateAfter } from '../../core/state-after.js';
import { isoInstant } from '../../support/iso-instant.js';
import { parseCheckpointJson } from '../checkpoint-json.js';
import { parseRecordedEvent } from '../recorded-event-json.js';
import { openLocalConnection, useLocalPragmas } from './sqlite-file.js';
import { StateDatabaseError } from './state-database-error.js';

export const DEFAULT_STATE_PATH = '.local-state/notifier.sqlite';

/** Bumped when the tables change; a database from a newer version is refused rather than misread. */
const SCHEMA_VERSION = 3;
/** Stored projects per page of `listProjects`: bounded memory whatever the workspace's size. */
const LIST_PAGE_SIZE = 1000;
/** JSON characters of kept projects per page of `keptInQuarantine`: about a DynamoDB Query page. */
const KEPT_PAGE_CHARS = 1_000_000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS processes (
    process_id   TEXT PRIMARY KEY,
    watermark    TEXT,
    checkpoint   TEXT,
    outbox_since TEXT,
    owner        TEXT,
    lease_until  INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS projects (
    process_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    hash       TEXT NOT NULL,
    snapshot   TEXT,
    sequence   INTEGER NOT NULL DEFAULT 0,
    deleted    INTEGER NOT NULL DEFAULT 0,
    numeric_id INTEGER,
    PRIMARY KEY (process_id, project_id)
  );
  CREATE TABLE IF NOT EXISTS quarantine (
    process_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    reason     TEXT NOT NULL,
    since      TEXT NOT NULL,
    body       TEXT,
    PRIMARY KEY (process_id, project_id)
  );
  CREATE TABLE IF NOT EXISTS events (
    process_id  TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    project_id  TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    event       TEXT NOT NULL,
    PRIMARY KEY (process_id, recorded_at, project_id, sequence)
  );
`;

/**
 * Tables that hold a JSON document per row (a snapshot, a kept project, an event) and were made
 * `WITHOUT ROWID` by schema 2 (`quarantine` until schema 3 too). Such a table keeps at most about a
 * quarter of a page (1 KB of 4 KiB) of a row in the tree and puts the rest on an overflow page of its
 * own: an event of 1.2 KB took a whole 4 KiB page. An ordinary (rowid) table keeps rows up to a page in
 * the tree, packed several to a page; its primary key becomes a unique index of the key columns only.
 * Whatever the file's `user_version`, each open copies a table still made so into such a table: the
 * layout changes nothing an older version reads, so the schema version stays.
 */
const TABLES_WITH_DOCUMENTS = ['projects', 'quarantine', 'events'] as const;

/** From schema 1: watermarks move into `processes`, projects gain their sequence and deleted mark. */
const MIGRATE_FROM_1 = `
  ALTER TABLE projects ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE projects ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  INSERT INTO processes (process_id, watermark) SELECT process_id, watermark FROM watermarks;
  DROP TABLE watermarks;
`;

export interface SqliteStateStoreOptions {
  /** File of the database; its folder is created when missing. `:memory:` for a throw-away store. @default DEFAULT_STATE_PATH */
  readonly path?: string;
  /** How long a write waits for another process holding the database lock. @default 5000 */
  readonly busyTimeoutMs?: number;
  /** Recorded events older than this are dropped when the database is opened. @default 14 */
  readonly eventRetentionDays?: number;
  /** When claims expire. @default the system clock */
  readonly clock?: Clock;
  /**
   * True when the run named `owner` is known to be gone (a local run's process that no longer exists):
   * its claim is taken over at once rather than when it expires. @default never known
   */
  readonly isOwnerGone?: (owner: string) => boolean;
}

export interface SqliteStateStore extends StateStore, ProcessStore {
  /** The resolved file path (or `:memory:`). */
  readonly path: string;
  /** Files of the database that others could read (left so by an older version) and were made the user's only. */
  readonly tightened: readonly string[];
  /** Checkpoints the write-ahead log and closes the file; idempotent. */
  close(): void;
}

interface ProjectRow {
  readonly projectId: string;
  readonly hash: string;
  readonly snapshot: string | null;
  readonly sequence: number;
  readonly deleted: number;
  readonly numericId: number | null;
}

interface ProcessRow {
  readonly watermark: string | null;
  readonly checkpoint: string | null;
  readonly outboxSince: string | null;
}

interface QuarantineRow {
  readonly projectId: string;
  readonly reason: string;
  readonly since: string;
  /** 1 when the entry holds its project. */
  readonly kept: number;
}

interface EventRow {
  readonly projectId: string;
  readonly sequence: number;
  readonly hash: string;
  readonly event: string;
  readonly recordedAt: string;
}

const PROJECT_COLUMNS = 'project_id AS projectId, hash, snapshot, sequence, deleted, numeric_id AS numericId';

/**
 * The process row holds the claim (owner and lease end), watermark, checkpoint and the open outbox as the
 * DynamoDB item does, with the same rules: a claim succeeds when nobody holds the process, the holder's
 * lease has expired (or its run is known to be gone), or the claimant holds it already; so two local
 * runs on one state file (cron overlap) never work on one process at once.
 */
export function openSqliteStateStore(options: SqliteStateStoreOptions = {}): SqliteStateStore {
  const path = options.path === ':memory:' ? ':memory:' : resolve(options.path ?? DEFAULT_STATE_PATH);
  const tightened = path === ':memory:' ? [] : tightenPermissions(path);
  const db = openDatabase(path, options.busyTimeoutMs ?? 5000);
  const retentionMs = (options.eventRetentionDays ?? 14) * 86_400_000;
  dropExpiredEvents(db, new Date(Date.now() - retentionMs));

  const clock = options.clock ?? { now: () => new Date() };
  const isOwnerGone = options.isOwnerGone ?? (() => false);
  const selectOwner = db.prepare<[string], { owner: string | null; leaseUntil: number | null }>(
    'SELECT owner, lease_until AS leaseUntil FROM processes WHERE process_id = ?',
  );
  const setOwner = db.prepare<[string | null, number | null, string]>(
    'UPDATE processes SET owner = ?, lease_until = ? WHERE process_id = ?',
  );
  const clearOwner = db.prepare<[string, string]>(
    'UPDATE processes SET owner = NULL, lease_until = NULL WHERE process_id = ? AND owner = ?',
  );
  /** One transaction, so of two runs claiming at once only one sees the process free. */
  const takeClaim = db.transaction((processId: string, owner: string, until: Date): boolean => {
    ensureProcess.run(processId);
    const held = selectOwner.get(processId);
    const free =
      held?.owner == null ||
      held.owner === owner ||
      (held.leaseUntil ?? 0) < clock.now().getTime() ||
      isOwnerGone(held.owner);
    if (free) setOwner.run(owner, until.getTime(), processId);
    return free;
  });
  const selectProcess = db.prepare<[string], ProcessRow>(
    'SELECT watermark, checkpoint, outbox_since AS outboxSince FROM processes WHERE process_id = ?',
  );
  const ensureProcess = db.prepare<[string]>('INSERT OR IGNORE INTO processes (process_id) VALUES (?)');
  const setWatermark = db.prepare<[string, string, string]>(
    `UPDATE processes SET watermark = ? WHERE process_id = ?
     AND (watermark IS NULL OR julianday(watermark) < julianday(?))`,
  );
  const setCheckpoint = db.prepare<[string | null, string]>(
    'UPDATE processes SET checkpoint = ? WHERE process_id = ?',
  );
  const openOutbox = db.prepare<[string, string]>(
    'UPDATE processes SET outbox_since = coalesce(outbox_since, ?) WHERE process_id = ?',
  );
  const readCheckpoint = (processId: string, text: string): Checkpoint => {
    const checkpoint = parseCheckpointJson(text);
    if (checkpoint === undefined) {
      throw new StateDatabaseError(
        `The checkpoint of process ${processId} in ${path} is damaged; delete the state file's row ` +
          `(UPDATE processes SET checkpoint = NULL) to read the window from the watermark again`,
      );
    }
    return checkpoint;
  };
  const setOutbox = db.prepare<[string | null, string]>(
    'UPDATE processes SET outbox_since = ? WHERE process_id = ?',
  );
  // One statement whatever the page size: the ids travel as one JSON array instead of N bound variables.
  const selectProjects = db.prepare<[string, string], ProjectRow>(
    `SELECT ${PROJECT_COLUMNS} FROM projects
     WHERE process_id = ? AND project_id IN (SELECT value FROM json_each(?))`,
  );
  const upsertProject = db.prepare<[string, string, string, string | null, number, number, number | null]>(
    `INSERT INTO projects (process_id, project_id, hash, snapshot, sequence, deleted, numeric_id)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (process_id, project_id) DO UPDATE SET hash = excluded.hash, snapshot = excluded.snapshot,
       sequence = excluded.sequence, deleted = excluded.deleted, numeric_id = excluded.numeric_id`,
  );
  // Keyset paging: each page is its own query, so the caller may write between pages (the deletion sweep does).
  const selectProjectPage = db.prepare<[string, string, number], ProjectRow>(
    `SELECT ${PROJECT_COLUMNS} FROM projects
     WHERE process_id = ? AND project_id > ? ORDER BY project_id LIMIT ?`,
  );
  const insertEvent = db.prepare<[string, string, string, number, string, string]>(
    `INSERT OR REPLACE INTO events (process_id, recorded_at, project_id, sequence, hash, event)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const selectEventPage = db.prepare<[string, string, string, string, string, number, number], EventRow>(
    `SELECT project_id AS projectId, sequence, hash, event, recorded_at AS recordedAt FROM events
     WHERE process_id = ? AND recorded_at >= ? AND recorded_at < ?
       AND (recorded_at, project_id, sequence) > (?, ?, ?)
     ORDER BY recorded_at, project_id, sequence LIMIT ?`,
  );

  const upsertQuarantine = db.prepare<[string, string, string, string, string | null]>(
    `INSERT OR REPLACE INTO quarantine (process_id, project_id, reason, since, body) VALUES (?, ?, ?, ?, ?)`,
  );
  const deleteQuarantine = db.prepare<[string, string]>(
    'DELETE FROM quarantine WHERE process_id = ? AND project_id = ?',
  );
  const selectQuarantinePage = db.prepare<[string, string, number], QuarantineRow>(
    `SELECT project_id AS projectId, reason, since, body IS NOT NULL AS kept FROM quarantine
     WHERE process_id = ? AND project_id > ? ORDER BY project_id LIMIT ?`,
  );
  const selectKeptAfter = db.prepare<[string, string], QuarantineEntry & { body: string }>(
    `SELECT project_id AS projectId, reason, since, body FROM quarantine
     WHERE process_id = ? AND body IS NOT NULL AND project_id > ? ORDER BY project_id`,
  );
  /**
   * The kept projects after `after` until they hold about KEPT_PAGE_CHARS (or LIST_PAGE_SIZE of them),
   * and the id to go on after when more may follow. Leaving the loop closes the statement, so the caller
   * may write before it asks for the next page.
   */
  const keptPageAfter = (processId: string, after: string): { kept: QuarantinedProject[]; next?: string } => {
    const kept: QuarantinedProject[] = [];
    let chars = 0;
    for (const row of selectKeptAfter.iterate(processId, after)) {
      const body = parseSnapshot(row.body);
      if (body !== undefined) {
        kept.push({ projectId: row.projectId, reason: row.reason, since: row.since, body });
      }
      chars += row.body.length;
      if (chars >= KEPT_PAGE_CHARS || kept.length >= LIST_PAGE_SIZE) return { kept, next: row.projectId };
    }
    return { kept };
  };
  const countQuarantine = db.prepare<[string], { count: number }>(
    'SELECT count(*) AS count FROM quarantine WHERE process_id = ?',
  );
  const quarantineAll = db.transaction((processId: string, entries: readonly QuarantinedProject[]) => {
    for (const entry of entries) {
      const body = entry.body === undefined ? null : JSON.stringify(entry.body);
      upsertQuarantine.run(processId, entry.projectId, entry.reason, entry.since, body);
    }
  });
  const releaseAll = db.transaction((processId: string, projectIds: readonly string[]) => {
    for (const id of projectIds) deleteQuarantine.run(processId, id);
  });

  const release = db.transaction((processId: string, owner: string, end: RunEnd) => {
    ensureProcess.run(processId);
    clearOwner.run(processId, owner);
    if (end.watermark !== undefined) setWatermark.run(end.watermark, processId, end.watermark);
    if (end.checkpoint !== undefined) {
      setCheckpoint.run(end.checkpoint === null ? null : JSON.stringify(end.checkpoint), processId);
    }
    if (end.outboxDelivered) setOutbox.run(null, processId);
  });
  const putAll = db.transaction((processId: string, projects: readonly StoredProject[]) => {
    for (const project of projects) {
      const snapshot = project.snapshot === undefined ? null : JSON.stringify(project.snapshot);
      upsertProject.run(
        processId,
        project.projectId,
        project.hash,
        snapshot,
        project.sequence,
        project.deleted ? 1 : 0,
        project.numericId === undefined ? null : Number(project.numericId),
      );
    }
  });
  const recordAll = db.transaction((processId: string, changes: readonly PendingChange[], at: string) => {
    for (const { event, state } of changes) {
      insertEvent.run(processId, at, state.projectId, state.sequence, state.hash, JSON.stringify(event));
    }
  });

  return {
    path,
    tightened,
    async claim(processId, owner, until): Promise<ProcessClaim | undefined> {
      if (!takeClaim.immediate(processId, owner, until)) return undefined;
      const row = selectProcess.get(processId);
      return {
        ...(row?.watermark ? { watermark: row.watermark } : {}),
        ...(row?.checkpoint ? { checkpoint: readCheckpoint(processId, row.checkpoint) } : {}),
        ...(row?.outboxSince ? { outboxSince: row.outboxSince } : {}),
        ...quarantinedCount(countQuarantine.get(processId)?.count),
      };
    },
    async openOutbox(processId, _owner, since) {
      ensureProcess.run(processId);
      openOutbox.run(since, processId);
    },
    async release(processId, owner, end) {
      const watermark =
        end.watermark === undefined
          ? undefined
          : isoInstant(end.watermark, `The watermark of process ${processId}`);
      // A run whose claim was taken over still saves its progress (the watermark only moves forward),
      // but gives back only a claim that is still its own.
      release.immediate(processId, owner, { ...end, watermark });
    },
    async getProjects(processId, projectIds) {
      const found = new Map<string, StoredProject>();
      if (projectIds.length === 0) return found;
      for (const row of selectProjects.iterate(processId, JSON.stringify(projectIds))) {
        found.set(row.projectId, toStoredProject(row));
      }
      return found;
    },
    async putProjects(processId, projects) {
      if (projects.length > 0) putAll.immediate(processId, projects);
    },
    async *listProjects(processId) {
      for (const rows of keysetPages(LIST_PAGE_SIZE, (after, limit) =>
        selectProjectPage.all(processId, after, limit),
      )) {
        yield rows.map(toStoredProject);
      }
    },
    async quarantine(processId, entries) {
      if (entries.length > 0) quarantineAll.immediate(processId, entries);
    },
    async releaseFromQuarantine(processId, projectIds) {
      if (projectIds.length > 0) releaseAll.immediate(processId, projectIds);
    },
    async *listQuarantine(processId) {
      for (const rows of keysetPages(LIST_PAGE_SIZE, (after, limit) =>
        selectQuarantinePage.all(processId, after, limit),
      )) {
        yield rows.map((row): QuarantineEntry => ({ ...row, kept: row.kept === 1 }));
      }
    },
    async *keptInQuarantine(processId) {
      for (let after: string | undefined = ''; after !== undefined; ) {
        const page = keptPageAfter(processId, after);
        if (page.kept.length > 0) yield page.kept;
        after = page.next;
      }
    },
    async recordChanges(processId, changes, recordedAt) {
      if (changes.length > 0) recordAll.immediate(processId, changes, recordedAt.toISOString());
    },
    async *recordedChanges(processId, range: RecordedRange): AsyncIterable<readonly RecordedChange[]> {
      // recorded_at holds `toISOString` instants, compared as text: the bounds must be written alike.
      const since = isoInstant(range.since, 'The start of a range of recorded events');
      const until = isoInstant(
        range.until ?? new Date().toISOString(),
        'The end of a range of recorded events',
      );
      let cursor: [string, string, number] = ['', '', 0];
      for (;;) {
        const rows = selectEventPage.all(processId, since, until, ...cursor, LIST_PAGE_SIZE);
        if (rows.length > 0) yield rows.map((row) => toRecordedChange(processId, row));
        const last = rows.at(-1);
        if (last === undefined || rows.length < LIST_PAGE_SIZE) return;
        cursor = [last.recordedAt, last.projectId, last.sequence];
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}

/**
 * Snapshots are deal data: a database and its log files that group or others may read (an older version
 * created them with the umask's mode) are made readable by the user only before anything is read.
 */
function tightenPermissions(path: string): string[] {
  const tightened: string[] = [];
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    if ((statSync(file).mode & 0o077) === 0) continue;
    chmodSync(file, 0o600);
    tightened.push(file);
  }
  return tightened;
}

function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  return openLocalConnection(path, busyTimeoutMs, (db) => {
    // Before WAL and the first table, or SQLite ignores it: the pages that deletions free then go back
    // to the file system when asked (`incremental_vacuum`), so the file shrinks with the event log's
    // retention instead of keeping its largest size forever. A file made before is converted below.
    db.pragma('auto_vacuum = INCREMENTAL');
    useLocalPragmas(db);
    const version = db.pragma('user_version', { simple: true });
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      throw new StateDatabaseError(
        `The state database ${path} was written by a newer version (schema ${version}, this one knows ${SCHEMA_VERSION}); update the notifier or use another --state path`,
      );
    }
    // The new tables first: the migration moves the watermarks into `processes`.
    if (version === 1) db.exec(`BEGIN; ${SCHEMA} ${MIGRATE_FROM_1} COMMIT;`);
    moveDocumentsToRowidTables(db);
    db.exec(SCHEMA);
    addMissingColumns(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    convertToIncrementalVacuum(db);
  });
}

/** The pages the deleted events held go back to the file system, not only to SQLite's free list. */
function dropExpiredEvents(db: Database.Database, before: Date): void {
  const { changes } = db.prepare('DELETE FROM events WHERE recorded_at < ?').run(before.toISOString());
  if (changes > 0) db.pragma('incremental_vacuum');
}

function moveDocumentsToRowidTables(db: Database.Database): void {
  const definition = db
    .prepare<[string], string>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?")
    .pluck();
  const move = db.transaction((table: string) => {
    const columns = db
      .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
      .all()
      .map((column) => column.name)
      .join(', ');
    db.exec(`ALTER TABLE ${table} RENAME TO ${table}_without_rowid`);
    db.exec(SCHEMA);
    db.exec(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${table}_without_rowid`);
    db.exec(`DROP TABLE ${table}_without_rowid`);
  });
  for (const table of TABLES_WITH_DOCUMENTS) {
    if (/WITHOUT\s+ROWID/i.test(definition.get(table) ?? '')) move.immediate(table);
  }
}

/** A file made before `auto_vacuum` was set is rewritten once (VACUUM), after which it shrinks as events expire. */
function convertToIncrementalVacuum(db: Database.Database): void {
  const INCREMENTAL = 2;
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) return;
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
}

/** Said only when there are some, as the DynamoDB store does: a process with none has nothing to look up. */
function quarantinedCount(count: number | undefined): { quarantined?: number } {
  return count === undefined || count === 0 ? {} : { quarantined: count };
}

/**
 * Columns added within schema 2, given empty to a database written before them: the kind of a project's
 * id (not known) and a process's claim (nobody holds it).
 */
const ADDED_COLUMNS = [
  { table: 'projects', column: 'numeric_id', type: 'INTEGER' },
  { table: 'processes', column: 'owner', type: 'TEXT' },
  { table: 'processes', column: 'lease_until', type: 'INTEGER' },
] as const;

function addMissingColumns(db: Database.Database): void {
  for (const { table, column, type } of ADDED_COLUMNS) {
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
    if (!columns.some((existing) => existing.name === column)) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  }
}

function toStoredProject(row: ProjectRow): StoredProject {
  const snapshot = parseSnapshot(row.snapshot);
  return {
    ...(row.numericId === null ? {} : { numericId: row.numericId === 1 }),
    projectId: row.projectId,
    hash: row.hash,
    sequence: row.sequence,
    ...(snapshot === undefined ? {} : { snapshot }),
    ...(row.deleted === 1 ? { deleted: true } : {}),
  };
}

function toRecordedChange(processId: string, row: EventRow): RecordedChange {
  const event = parseRecordedEvent(row.event, {
    processId,
    projectId: row.projectId,
    sequence: row.sequence,
  });
  if (event === undefined) {
    throw new StateDatabaseError(
      `A recorded event of process ${processId} (project ${row.projectId.slice(0, 200)}, recorded ${row.recordedAt}) ` +
        'is damaged; delete its row from the events table: it is only needed to replay that event or finish its delivery',
    );
  }
  const state = stateAfter(event, { projectId: row.projectId, hash: row.hash, sequence: row.sequence });
  return { event, state, recordedAt: row.recordedAt };
}

/**
 * Pages of at most `limit` rows in project id order, each its own query, so the caller may write between
 * pages; a page shorter than `limit` is the last.
 */
function* keysetPages<Row extends { readonly projectId: string }>(
  limit: number,
  page: (after: string, limit: number) => Row[],
): Generator<Row[]> {
  for (let after = ''; ; ) {
    const rows = page(after, limit);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (last === undefined || rows.length < limit) return;
    after = last.projectId;
  }
}

/** A snapshot that no longer reads as a JSON object is treated as not kept: the next change is reported without a diff. */
function parseSnapshot(text: string | null): JsonObject | undefined {
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
