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
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { StateStore, StoredProject, Watermark } from '../../core/ports.js';
import { StateDatabaseError } from './state-database-error.js';

export const DEFAULT_STATE_PATH = '.local-state/notifier.sqlite';

/** Bumped when the tables change; a database from a newer version is refused rather than misread. */
const SCHEMA_VERSION = 1;
/** Stored projects per page of `listProjects`: bounded memory whatever the workspace's size. */
const LIST_PAGE_SIZE = 1000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS watermarks (
    process_id TEXT PRIMARY KEY,
    watermark  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS projects (
    process_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    hash       TEXT NOT NULL,
    snapshot   TEXT,
    PRIMARY KEY (process_id, project_id)
  ) WITHOUT ROWID;
`;

export interface SqliteStateStoreOptions {
  /** File of the database; its folder is created when missing. `:memory:` for a throw-away store. @default DEFAULT_STATE_PATH */
  readonly path?: string;
  /** How long a write waits for another process holding the database lock. @default 5000 */
  readonly busyTimeoutMs?: number;
}

export interface SqliteStateStore extends StateStore {
  /** The resolved file path (or `:memory:`). */
  readonly path: string;
  /** Checkpoints the write-ahead log and closes the file; idempotent. */
  close(): void;
}

interface ProjectRow {
  readonly projectId: string;
  readonly hash: string;
  readonly snapshot: string | null;
}

export function openSqliteStateStore(options: SqliteStateStoreOptions = {}): SqliteStateStore {
  const path = options.path === ':memory:' ? ':memory:' : resolve(options.path ?? DEFAULT_STATE_PATH);
  const db = openDatabase(path, options.busyTimeoutMs ?? 5000);

  const selectWatermark = db.prepare<[string], { watermark: string }>(
    'SELECT watermark FROM watermarks WHERE process_id = ?',
  );
  const upsertWatermark = db.prepare<[string, string]>(
    `INSERT INTO watermarks (process_id, watermark) VALUES (?, ?)
     ON CONFLICT (process_id) DO UPDATE SET watermark = excluded.watermark`,
  );
  // One statement whatever the page size: the ids travel as one JSON array instead of N bound variables.
  const selectProjects = db.prepare<[string, string], ProjectRow>(
    `SELECT project_id AS projectId, hash, snapshot FROM projects
     WHERE process_id = ? AND project_id IN (SELECT value FROM json_each(?))`,
  );
  const upsertProject = db.prepare<[string, string, string, string | null]>(
    `INSERT INTO projects (process_id, project_id, hash, snapshot) VALUES (?, ?, ?, ?)
     ON CONFLICT (process_id, project_id) DO UPDATE SET hash = excluded.hash, snapshot = excluded.snapshot`,
  );

  // Keyset paging: each page is its own query, so the caller may delete between pages (the deletion sweep does).
  const selectProjectPage = db.prepare<[string, string, number], ProjectRow>(
    `SELECT project_id AS projectId, hash, snapshot FROM projects
     WHERE process_id = ? AND project_id > ? ORDER BY project_id LIMIT ?`,
  );
  const deleteProject = db.prepare<[string, string]>(
    'DELETE FROM projects WHERE process_id = ? AND project_id = ?',
  );

  const advance = db.transaction((processId: string, watermark: Watermark) => {
    const current = selectWatermark.get(processId)?.watermark;
    if (current !== undefined && Date.parse(current) >= Date.parse(watermark)) return;
    upsertWatermark.run(processId, watermark);
  });
  const putAll = db.transaction((processId: string, projects: readonly StoredProject[]) => {
    for (const project of projects) {
      const snapshot = project.snapshot === undefined ? null : JSON.stringify(project.snapshot);
      upsertProject.run(processId, project.projectId, project.hash, snapshot);
    }
  });

  const deleteAll = db.transaction((processId: string, projectIds: readonly string[]) => {
    for (const projectId of projectIds) deleteProject.run(processId, projectId);
  });

  return {
    path,
    async getWatermark(processId) {
      return selectWatermark.get(processId)?.watermark;
    },
    async advanceWatermark(processId, watermark) {
      if (Number.isNaN(Date.parse(watermark))) {
        throw new RangeError(`A watermark must be an ISO-8601 instant, got ${JSON.stringify(watermark)}`);
      }
      advance.immediate(processId, watermark);
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
      for (let after = ''; ; ) {
        const rows = selectProjectPage.all(processId, after, LIST_PAGE_SIZE);
        if (rows.length > 0) yield rows.map(toStoredProject);
        const last = rows.at(-1);
        if (last === undefined || rows.length < LIST_PAGE_SIZE) return;
        after = last.projectId;
      }
    },
    async deleteProjects(processId, projectIds) {
      if (projectIds.length > 0) deleteAll.immediate(processId, projectIds);
    },
    close() {
      if (db.open) db.close();
    },
  };
}

function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (path !== ':memory:') {
      // Deal snapshots are private: folders made here are the user's alone, and so is a new file
      // (SQLite gives its WAL and shared-memory files the database file's mode).
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      closeSync(openSync(path, 'a', 0o600));
    }
    db = new Database(path, { timeout: busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const version = db.pragma('user_version', { simple: true });
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      throw new StateDatabaseError(
        `The state database ${path} was written by a newer version (schema ${version}, this one knows ${SCHEMA_VERSION}); update the notifier or use another --state path`,
      );
    }
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (e: unknown) {
    db?.close();
    if (e instanceof StateDatabaseError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new StateDatabaseError(`Cannot open the state database ${path}: ${reason}`, { cause: e });
  }
}

function toStoredProject(row: ProjectRow): StoredProject {
  const snapshot = parseSnapshot(row.snapshot);
  return snapshot === undefined ? { projectId: row.projectId, hash: row.hash } : { ...row, snapshot };
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
