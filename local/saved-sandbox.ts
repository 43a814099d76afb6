/**
 * The demo sandbox's workspace, kept in the state file beside the notifier's state: a new start goes on
 * with the deals as the last one left them, so the state and the sandbox always agree (a sandbox rebuilt
 * from its seed would make the stored hashes lie: edits replayed as "unchanged", diffs going backwards).
 * Deleting the state file starts both afresh.
 */
import type { SandboxProject } from '../sandbox/midaxo-sandbox.js';
import { openSqliteFile } from '../shared/adapters/sqlite/sqlite-file.js';
import { isJsonObject } from '../shared/core/json.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sandbox_setup (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    seed         INTEGER NOT NULL,
    projects     INTEGER NOT NULL,
    edit_rounds  INTEGER NOT NULL,
    next_index   INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS sandbox_projects (
    process_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (process_id, project_id)
  ) WITHOUT ROWID;
`;

export interface SandboxSetup {
  readonly seed: number;
  /** Projects the sandbox was created with. */
  readonly projects: number;
  /** Rounds of edits made so far, by every start together. */
  readonly editRounds: number;
  /** Index of the next sample project the editor adds. */
  readonly nextIndex: number;
}

export interface SandboxChanges {
  readonly upserted: readonly SandboxProject[];
  readonly removed: readonly string[];
  readonly editRounds: number;
  readonly nextIndex: number;
}

export interface SavedSandbox {
  /** Undefined when this state file has no sandbox yet. */
  readonly setup: SandboxSetup | undefined;
  projects(processId: string): SandboxProject[];
  /** Saves a new sandbox, replacing anything kept before. */
  create(setup: SandboxSetup, processId: string, projects: readonly SandboxProject[]): void;
  /** Saves one round of edits, whole or not at all. */
  save(processId: string, changes: SandboxChanges): void;
  close(): void;
}

interface SetupRow {
  readonly seed: number;
  readonly projects: number;
  readonly editRounds: number;
  readonly nextIndex: number;
}

export function openSavedSandbox(path: string): SavedSandbox {
  const db = openSqliteFile({ path, schema: SCHEMA });
  const selectSetup = db.prepare<[], SetupRow>(
    `SELECT seed, projects, edit_rounds AS editRounds, next_index AS nextIndex FROM sandbox_setup`,
  );
  const upsertSetup = db.prepare<[number, number, number, number]>(
    `INSERT INTO sandbox_setup (singleton, seed, projects, edit_rounds, next_index) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (singleton) DO UPDATE SET seed = excluded.seed, projects = excluded.projects,
       edit_rounds = excluded.edit_rounds, next_index = excluded.next_index`,
  );
  const selectProjects = db.prepare<[string], { body: string }>(
    'SELECT body FROM sandbox_projects WHERE process_id = ? ORDER BY project_id',
  );
  const upsertProject = db.prepare<[string, string, string]>(
    `INSERT INTO sandbox_projects (process_id, project_id, body) VALUES (?, ?, ?)
     ON CONFLICT (process_id, project_id) DO UPDATE SET body = excluded.body`,
  );
  const deleteProject = db.prepare<[string, string]>(
    'DELETE FROM sandbox_projects WHERE process_id = ? AND project_id = ?',
  );
  const deleteAll = db.prepare('DELETE FROM sandbox_projects');

  const save = db.transaction((processId: string, changes: SandboxChanges, setup: SandboxSetup) => {
    for (const project of changes.upserted) upsertProject.run(processId, project.id, JSON.stringify(project));
    for (const projectId of changes.removed) deleteProject.run(processId, projectId);
    upsertSetup.run(setup.seed, setup.projects, changes.editRounds, changes.nextIndex);
  });
  const create = db.transaction(
    (setup: SandboxSetup, processId: string, projects: readonly SandboxProject[]) => {
      deleteAll.run();
      for (const project of projects) upsertProject.run(processId, project.id, JSON.stringify(project));
      upsertSetup.run(setup.seed, setup.projects, setup.editRounds, setup.nextIndex);
    },
  );

  return {
    get setup() {
      return selectSetup.get();
    },
    projects: (processId) => selectProjects.all(processId).flatMap(({ body }) => asProject(body)),
    create(setup, processId, projects) {
      create.immediate(setup, processId, projects);
    },
    save(processId, changes) {
      const setup = selectSetup.get();
      if (setup === undefined) throw new Error('The sandbox is saved before it is edited');
      save.immediate(processId, changes, setup);
    },
    close() {
      if (db.open) db.close();
    },
  };
}

/** A row that no longer reads as a project (edited by hand) is left out rather than crashing the demo. */
function asProject(body: string): SandboxProject[] {
  try {
    const value: unknown = JSON.parse(body);
    return isJsonObject(value) && typeof value.id === 'string' && typeof value.updatedAt === 'string'
      ? [value as SandboxProject]
      : [];
  } catch {
    return [];
  }
}
