/**
 * Builds the CloudEvents document for one change. The id is derived from what changed, not from when
 * it was seen, so a change published twice (a crash between publish and save) carries the same id
 * and consumers can de-duplicate on it.
 */
import { createHash } from 'node:crypto';
import { type ChangeEvent, type ChangeKind, eventTypeOf, type FieldChange } from './change-event.js';
import type { JsonObject } from './json.js';

export interface ChangeFacts {
  readonly kind: ChangeKind;
  /** The instance's API base URL, so `source` names instance and process. */
  readonly sourceBase: string;
  readonly processId: string;
  readonly projectId: string;
  /** Content hash after the change; for a deletion, the last known hash. */
  readonly hash: string;
  readonly changes: readonly FieldChange[];
  readonly project: JsonObject | null;
  readonly diffUnavailable?: boolean;
  readonly detectedAt: Date;
}

export function buildChangeEvent(facts: ChangeFacts): ChangeEvent {
  const source = `${facts.sourceBase.replace(/\/+$/, '')}/processes/${encodeURIComponent(facts.processId)}`;
  return {
    specversion: '1.0',
    id: eventId(source, facts),
    source,
    type: eventTypeOf(facts.kind),
    subject: facts.projectId,
    time: occurrenceTime(facts),
    datacontenttype: 'application/json',
    data: {
      processId: facts.processId,
      projectId: facts.projectId,
      changes: facts.changes,
      project: facts.project,
      ...(facts.diffUnavailable ? { diffUnavailable: true } : {}),
    },
  };
}

function eventId(source: string, facts: ChangeFacts): string {
  const digest = createHash('sha256')
    .update([source, facts.projectId, facts.kind, facts.hash].join('\n'))
    .digest('hex');
  return digest.slice(0, 32);
}

/** The project's own `updatedAt` when it is a valid instant (the occurrence), else when we saw it. */
function occurrenceTime(facts: ChangeFacts): string {
  const updatedAt = facts.project?.updatedAt;
  if (facts.kind !== 'deleted' && typeof updatedAt === 'string' && !Number.isNaN(Date.parse(updatedAt))) {
    return new Date(updatedAt).toISOString();
  }
  return facts.detectedAt.toISOString();
}
