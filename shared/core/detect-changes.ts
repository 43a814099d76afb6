/**
 * Compares one page of listed projects with what the store remembers and says what to publish and save.
 * Pure: no I/O, so the rules (baseline, created, updated, unchanged, ignored fields) are tested directly.
 */
import { buildChangeEvent } from './build-change-event.js';
import { contentHash } from './canonical-json.js';
import type { ChangeEvent } from './change-event.js';
import type { Project, StoredProject } from './ports.js';
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
  readonly events: ChangeEvent[];
  /** What to store once the events are published: new and changed projects only. */
  readonly toSave: StoredProject[];
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
    events: [] as ChangeEvent[],
    toSave: [] as StoredProject[],
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  for (const project of latestById(projects)) {
    const hash = contentHash(project.body, settings.ignoredFields);
    const previous = stored.get(project.id);
    if (previous?.hash === hash) {
      result.unchanged++;
      continue;
    }
    result.toSave.push({ projectId: project.id, hash, snapshot: project.body });
    if (previous === undefined) {
      result.created++;
      if (settings.mode === 'baseline' && !settings.publishBaseline) continue;
      result.events.push(eventFor('created', project, hash, settings, previous));
    } else {
      result.updated++;
      result.events.push(eventFor('updated', project, hash, settings, previous));
    }
  }
  return result;
}

function eventFor(
  kind: 'created' | 'updated',
  project: Project,
  hash: string,
  settings: DetectionSettings,
  previous: StoredProject | undefined,
): ChangeEvent {
  const diffUnavailable = previous !== undefined && previous.snapshot === undefined;
  const before = previous?.snapshot ?? {};
  return buildChangeEvent({
    kind,
    sourceBase: settings.sourceBase,
    processId: settings.processId,
    projectId: project.id,
    hash,
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
