/**
 * What a person needs to know about one change event, worked out once for every human rendering
 * (email, Slack): which project, what kind of change, and each changed field as before → after,
 * bounded so a rendering can never grow with the size of the project.
 * Layer: notifications (pure).
 */
import {
  type ChangeEvent,
  type ChangeKind,
  changedFieldsOf,
  changeKindOf,
  MAX_EVENT_BYTES,
  projectNameOf,
} from '../core/change-event.js';
import { counted, displayLine, displayValue, readablePath } from './display-text.js';

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
  /** Changes left out to keep within `maxLines`, and those the event itself had to leave out. */
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
/**
 * What a shortened event (`data.truncated`) lacks, and where the rest is: its snapshot and long values
 * were cut to fit the message limit, and only the first changes may be listed.
 */
export function truncatedNote(event: ChangeEvent): string {
  const { changes, omittedChanges = 0 } = event.data;
  const listed =
    omittedChanges > 0
      ? ` Only the first ${changes.length} of ${changes.length + omittedChanges} changes are in it.`
      : '';
  return (
    `This change was shortened to fit the ${MAX_EVENT_BYTES / 1024} KB message limit: the project's data ` +
    `was left out and long values end in "…".${listed} The event log keeps the event as sent (replay it ` +
    'to send it again); the project itself, whole, is in Midaxo.'
  );
}

export function summarizeChange(event: ChangeEvent, limits: SummaryLimits): ChangeSummary {
  const kind = changeKindOf(event);
  const { data } = event;
  const shown = kind === 'deleted' ? [] : data.changes.slice(0, limits.maxLines);
  const notes: string[] = [];
  if (data.diffUnavailable === true) notes.push(DIFF_UNAVAILABLE_NOTE);
  if (data.truncated === true) notes.push(truncatedNote(event));
  return {
    kind,
    projectName: displayedNameOf(event, limits.maxNameLength),
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
    omittedLines: kind === 'deleted' ? 0 : data.changes.length - shown.length + (data.omittedChanges ?? 0),
    notes,
  };
}

function displayedNameOf(event: ChangeEvent, max: number): string {
  const name = projectNameOf(event);
  const text = name === undefined ? '' : displayLine(name, max);
  return text === '' ? displayLine(event.data.projectId, max) : text;
}

/** `… and 3 more changes` (fields, for a new project): what the summary's lines left out, if anything. */
export function omittedLinesText(summary: ChangeSummary): string | undefined {
  if (summary.omittedLines === 0) return undefined;
  return `… and ${counted(summary.omittedLines, summary.kind === 'created' ? 'more field' : 'more change')}`;
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
