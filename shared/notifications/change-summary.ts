/**
 * What a person needs to know about one change event, worked out once for every human rendering
 * (email, Slack): which project, what kind of change, and each changed field as before → after,
 * bounded so a rendering can never grow with the size of the project.
 * Layer: notifications (pure).
 */
import { type ChangeEvent, type ChangeKind, changedFieldsOf, changeKindOf } from '../core/change-event.js';
import { displayLine, displayValue, readablePath } from './display-text.js';

export interface FieldLine {
  /** Readable path, e.g. `owner › name`. */
  readonly field: string;
  /** Absent when the line lists a new project's field rather than a change. */
  readonly before?: string;
  readonly after: string;
}

export interface ChangeSummary {
  readonly kind: ChangeKind;
  /** The project's `name` when it has one, else its id. */
  readonly projectName: string;
  readonly projectId: string;
  readonly processId: string;
  readonly eventId: string;
  /** ISO-8601 instant of the change. */
  readonly time: string;
  /** Top-level fields the event changes, as the `changedFields` attribute lists them. */
  readonly changedFields: readonly string[];
  readonly lines: readonly FieldLine[];
  /** Changes left out to keep within `maxLines`. */
  readonly omittedLines: number;
  /** Sentences on what the event cannot show (unknown or shortened changes). */
  readonly notes: readonly string[];
}

export interface SummaryLimits {
  readonly maxLines: number;
  readonly maxValueLength: number;
  readonly maxNameLength: number;
}

export const DIFF_UNAVAILABLE_NOTE =
  'The previous version of this project was too large to keep, so the changed fields cannot be listed.';
export const TRUNCATED_NOTE =
  'Some values were too large for the notification and were shortened or left out; open the project in Midaxo for the details.';

export function summarizeChange(event: ChangeEvent, limits: SummaryLimits): ChangeSummary {
  const kind = changeKindOf(event);
  const { data } = event;
  const shown = kind === 'deleted' ? [] : data.changes.slice(0, limits.maxLines);
  const notes: string[] = [];
  if (data.diffUnavailable === true) notes.push(DIFF_UNAVAILABLE_NOTE);
  if (data.truncated === true) notes.push(TRUNCATED_NOTE);
  return {
    kind,
    projectName: projectNameOf(event, limits.maxNameLength),
    projectId: displayLine(data.projectId, limits.maxNameLength),
    processId: displayLine(data.processId, limits.maxNameLength),
    eventId: event.id,
    time: event.time,
    changedFields: changedFieldsOf(event).map((field) => displayLine(field, limits.maxValueLength)),
    lines: shown.map((change) => ({
      field: readablePath(change.path, limits.maxValueLength),
      ...(kind === 'created' ? {} : { before: displayValue(change.before, limits.maxValueLength) }),
      after: displayValue(change.after, limits.maxValueLength),
    })),
    omittedLines: kind === 'deleted' ? 0 : data.changes.length - shown.length,
    notes,
  };
}

function projectNameOf(event: ChangeEvent, max: number): string {
  const name = event.data.project?.name;
  const text = typeof name === 'string' ? displayLine(name, max) : '';
  return text === '' ? displayLine(event.data.projectId, max) : text;
}

/** The opening sentence every rendering shares; `project` is the project's name as the medium formats it. */
export function headlineOf(summary: ChangeSummary, project: string): string {
  switch (summary.kind) {
    case 'created':
      return `${project} was created.`;
    case 'updated':
      return `${project} was updated.`;
    case 'deleted':
      return `${project} was deleted: Midaxo no longer lists it.`;
  }
}
