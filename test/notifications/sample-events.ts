/** Change events as the core builds them, on a deal shaped like the sandbox's, for the renderer tests. */
import { buildChangeEvent } from '../../shared/core/build-change-event.js';
import type { ChangeEvent, ChangeKind, FieldChange } from '../../shared/core/change-event.js';
import { fitEventToContract } from '../../shared/core/fit-event.js';
import type { JsonObject } from '../../shared/core/json.js';
import { diffProjects } from '../../shared/core/project-diff.js';

export const FALCON: JsonObject = {
  id: 'prj-000001',
  name: 'Project Falcon',
  stage: 'Due Diligence',
  owner: { id: 'usr-1002', name: 'James Whitfield' },
  dealValue: { amount: 12_500_000, currency: 'EUR' },
  tags: ['strategic', 'cross-border'],
  updatedAt: '2026-11-27T09:30:00.000Z',
};

/** Falcon before the update: at screening, owned by someone else. */
export const FALCON_BEFORE: JsonObject = {
  ...FALCON,
  stage: 'Screening',
  owner: { id: 'usr-1001', name: 'Aino Virtanen' },
  updatedAt: '2026-11-20T14:00:00.000Z',
};

const IGNORED_FIELDS = new Set(['updatedAt']);

/** The sample project's life: created, then updated, then deleted, numbered as the core numbers them. */
const SAMPLE_SEQUENCE: Record<ChangeKind, number> = { created: 1, updated: 2, deleted: 3 };

export function changeEventOf(
  kind: ChangeKind,
  options: { project?: JsonObject | null; changes?: FieldChange[]; diffUnavailable?: boolean } = {},
): ChangeEvent {
  const project = options.project === undefined ? FALCON : options.project;
  return buildChangeEvent({
    kind,
    sourceBase: 'https://api.app-eu.midaxo.com',
    processId: 'proc-emea',
    projectId: 'prj-000001',
    hash: `hash-${kind}`,
    sequence: SAMPLE_SEQUENCE[kind],
    changes: options.changes ?? defaultChanges(kind, project),
    project,
    diffUnavailable: options.diffUnavailable,
    detectedAt: new Date('2026-11-27T09:35:00.000Z'),
  });
}

/** What the core's diff gives: every field of a new project, the changed ones of an update, none for a deletion. */
function defaultChanges(kind: ChangeKind, project: JsonObject | null): FieldChange[] {
  if (kind === 'deleted' || project === null) return [];
  return diffProjects(kind === 'created' ? {} : FALCON_BEFORE, project, IGNORED_FIELDS);
}

/** Falcon's update of 12,000 custom fields, shortened as the notifier shortens it to fit 256 KB. */
export function shortenedFalconUpdate(): ChangeEvent {
  const changes = Array.from({ length: 12_000 }, (_, n) => ({
    path: `/customFields/field${String(n).padStart(5, '0')}`,
    before: `old value ${n}`,
    after: `new value ${n}`,
  }));
  return fitEventToContract(changeEventOf('updated', { changes }));
}
