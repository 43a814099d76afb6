/**
 * Builds the CloudEvents document for one change. Each project is its own `source`, and its events
 * are numbered by `sequence`; the id is derived from source, sequence, kind and content, so:
 *  - two different changes never share an id (the sequence differs, even when a state recurs);
 *  - the same change published again (crash recovery, replay) keeps its id.
 */
import { createHash } from 'node:crypto';
import { type ChangeEvent, type ChangeKind, eventTypeOf, type FieldChange } from './change-event.js';
import { formatSequence } from './event-sequence.js';
import type { JsonObject } from './json.js';
import { occurrenceTime } from './occurrence-time.js';

export interface ChangeFacts {
  readonly kind: ChangeKind;
  /** The instance's API base URL, so `source` names instance, process and project. */
  readonly sourceBase: string;
  readonly processId: string;
  readonly projectId: string;
  /** The project's event number: one more than its previous event's. */
  readonly sequence: number;
  /** Content hash after the change; for a deletion, the last known hash. */
  readonly hash: string;
  readonly changes: readonly FieldChange[];
  readonly project: JsonObject | null;
  readonly diffUnavailable?: boolean;
  readonly detectedAt: Date;
}

export function buildChangeEvent(facts: ChangeFacts): ChangeEvent {
  const source = projectSource(facts.sourceBase, facts.processId, facts.projectId);
  const sequence = formatSequence(facts.sequence);
  return {
    specversion: '1.0',
    id: eventId(source, sequence, facts),
    source,
    type: eventTypeOf(facts.kind),
    subject: facts.projectId,
    sequence,
    time:
      facts.kind === 'deleted'
        ? facts.detectedAt.toISOString()
        : occurrenceTime(facts.project?.updatedAt, facts.detectedAt),
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

/** `<api>/processes/<processId>/projects/<projectId>`: the URI of the project the events are about. */
export function projectSource(sourceBase: string, processId: string, projectId: string): string {
  const base = sourceBase.replace(/\/+$/, '');
  return `${base}/processes/${encodeURIComponent(processId)}/projects/${encodeURIComponent(projectId)}`;
}

/**
 * True when `source` is the URI of this project of this process: what `projectSource` builds, on any
 * base. CloudEvents orders events by `source`, so a consumer checks it names the `subject` it keys on.
 */
export function sourceNamesProject(source: string, processId: string, projectId: string): boolean {
  return source.endsWith(projectSource('', processId, projectId)) && URL.canParse(source);
}

function eventId(source: string, sequence: string, facts: ChangeFacts): string {
  const digest = createHash('sha256')
    .update([source, sequence, facts.kind, facts.hash].join('\n'))
    .digest('hex');
  return digest.slice(0, 32);
}
