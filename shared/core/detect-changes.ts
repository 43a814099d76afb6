/**
 * Compares one page of listed projects with what the store remembers and says what to publish and save.
 * Pure: no I/O, so the rules (baseline, created, updated, unchanged, ignored fields, sequence) are tested
 * directly.
 */
import { buildChangeEvent } from './build-change-event.js';
import { contentHash } from './canonical-json.js';
import type { ChangeKind } from './change-event.js';
import type { PendingChange, Project, StoredProject } from './ports.js';
import { identityProblem, shapeProblem } from './project-admission.js';
import { diffProjects } from './project-diff.js';
import type { SetAside } from './quarantine-register.js';

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
  /** Projects that cannot be processed, with the reason: none of them stops the others. */
  readonly setAside: SetAside[];
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
    setAside: [] as SetAside[],
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  for (const project of latestById(projects)) {
    const previous = stored.get(project.id);
    const identity = identityProblem(project, previous);
    if (identity !== undefined) {
      result.setAside.push({ project, reason: identity, retryBody: false });
      continue;
    }
    const hash = contentHash(project.body, settings.ignoredFields);
    const known = previous !== undefined && previous.deleted !== true;
    if (known && previous.hash === hash) {
      result.unchanged++;
      continue;
    }
    const shape = shapeProblem(project);
    if (shape !== undefined) {
      result.setAside.push({ project, reason: shape, retryBody: false });
      continue;
    }
    const lastSequence = previous?.sequence ?? 0;
    const kept = { projectId: project.id, numericId: project.numericId === true };
    if (!known) {
      result.created++;
      if (settings.mode === 'baseline' && !settings.publishBaseline) {
        result.silent.push({ ...kept, hash, snapshot: project.body, sequence: lastSequence });
        continue;
      }
    } else {
      result.updated++;
    }
    const kind: ChangeKind = known ? 'updated' : 'created';
    const state: StoredProject = { ...kept, hash, snapshot: project.body, sequence: lastSequence + 1 };
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

/**
 * A page may list a project twice if it changed mid-listing; the later entry is the newer one. Items
 * whose ids only look alike (`1` and `"1"`) are not merged: the one unlike the first is set aside.
 */
function latestById(projects: readonly Project[]): Project[] {
  const latest = new Map<string, Project>();
  const clashes: Project[] = [];
  for (const project of projects) {
    const first = latest.get(project.id);
    if (first !== undefined && (first.numericId === true) !== (project.numericId === true)) {
      clashes.push({ ...project, problem: 'id listed twice in one page, once as a number and once as text' });
      continue;
    }
    latest.set(project.id, project);
  }
  return [...latest.values(), ...clashes];
}
