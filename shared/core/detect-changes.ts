/**
 * Compares one page of listed projects with what the store remembers and says what to publish and save.
 * Pure: no I/O, so the rules (baseline, created, updated, unchanged, ignored fields, sequence) are tested
 * directly.
 */
import { buildChangeEvent } from './build-change-event.js';
import { contentHash } from './canonical-json.js';
import type { ChangeKind } from './change-event.js';
import type { PendingChange, Project, StoredProject } from './ports.js';
import { diffProjects } from './project-diff.js';

/** `baseline`: first run of a process; nothing is published unless `publishBaseline` asks for `created` events. */
export type PollMode = 'baseline' | 'incremental';

export interface DetectionSettings {
  readonly mode: PollMode;
  readonly publishBaseline: boolean;
  readonly ignoredFields: ReadonlySet<string>;
  readonly sourceBase: string;
  readonly processId: string;
  readonly detectedAt: Date;
}

export interface DetectedChanges {
  /** Changes to publish, each with the state to remember once it is published. */
  readonly changes: PendingChange[];
  /** New projects of a silent baseline: remembered without an event. */
  readonly silent: StoredProject[];
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

export function detectChanges(
  projects: readonly Project[],
  stored: ReadonlyMap<string, StoredProject>,
  settings: DetectionSettings,
): DetectedChanges {
  const result = {
    changes: [] as PendingChange[],
    silent: [] as StoredProject[],
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  for (const project of latestById(projects)) {
    const hash = contentHash(project.body, settings.ignoredFields);
    const previous = stored.get(project.id);
    const known = previous !== undefined && previous.deleted !== true;
    if (known && previous.hash === hash) {
      result.unchanged++;
      continue;
    }
    const lastSequence = previous?.sequence ?? 0;
    if (!known) {
      result.created++;
      if (settings.mode === 'baseline' && !settings.publishBaseline) {
        result.silent.push({ projectId: project.id, hash, snapshot: project.body, sequence: lastSequence });
        continue;
      }
    } else {
      result.updated++;
    }
    const kind: ChangeKind = known ? 'updated' : 'created';
    const state: StoredProject = {
      projectId: project.id,
      hash,
      snapshot: project.body,
      sequence: lastSequence + 1,
    };
    result.changes.push({
      event: eventFor(kind, project, state, settings, known ? previous : undefined),
      state,
    });
  }
  return result;
}

function eventFor(
  kind: 'created' | 'updated',
  project: Project,
  state: StoredProject,
  settings: DetectionSettings,
  previous: StoredProject | undefined,
) {
  const diffUnavailable = previous !== undefined && previous.snapshot === undefined;
  const before = previous?.snapshot ?? {};
  return buildChangeEvent({
    kind,
    sourceBase: settings.sourceBase,
    processId: settings.processId,
    projectId: project.id,
    sequence: state.sequence,
    hash: state.hash,
    changes: diffUnavailable ? [] : diffProjects(before, project.body, settings.ignoredFields),
    project: project.body,
    diffUnavailable,
    detectedAt: settings.detectedAt,
  });
}

/** A page may list a project twice if it changed mid-listing; the later entry is the newer one. */
function latestById(projects: readonly Project[]): Project[] {
  return [...new Map(projects.map((project) => [project.id, project])).values()];
}
