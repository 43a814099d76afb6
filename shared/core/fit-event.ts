/**
 * Shrinks an event until a transport takes it, rather than ever dropping it or letting it block the
 * process: first the snapshot goes (its name is kept as `projectName`, the consumer can fetch the
 * project), then long values in `changes` are cut shorter and shorter, then only as many of the first
 * changes are kept as fit (`omittedChanges` counts the rest). Every change kept keeps its shape (a new
 * field's `after`, an update's `before` and `after`), so a shortened event is still a valid one. The
 * last resort (no changes) still says which project changed and how (id, type, subject, sequence,
 * process, project, its name), so it always fits. The result says `truncated: true` so consumers know
 * to look the project up.
 */
import { type ChangeEvent, type FieldChange, MAX_EVENT_BYTES, projectNameOf } from './change-event.js';
import { eventJson } from './event-json.js';
import type { JsonValue } from './json.js';

/** Longest JSON text (in characters) a shortened value keeps, tried in turn. */
const VALUE_LIMITS = [16_384, 4_096, 1_024, 256, 64] as const;
/** Longest project name a shortened event keeps, in UTF-16 code units (renderings show at most 200). */
export const MAX_PROJECT_NAME_LENGTH = 256;

export function fitEvent(event: ChangeEvent, fits: (candidate: ChangeEvent) => boolean): ChangeEvent {
  if (fits(event)) return event;
  const withoutSnapshot = withoutProject(event);
  if (fits(withoutSnapshot)) return withoutSnapshot;
  let shortened = withoutSnapshot;
  for (const limit of VALUE_LIMITS) {
    shortened = withData(withoutSnapshot, {
      changes: withoutSnapshot.data.changes.map((change) => shortenChange(change, limit)),
    });
    if (fits(shortened)) return shortened;
  }
  return firstChangesThatFit(shortened, fits);
}

/** An event within the contract's bound (`MAX_EVENT_BYTES` of JSON), for transports without a tighter one. */
export function fitEventToContract(event: ChangeEvent): ChangeEvent {
  return fitEvent(event, (candidate) => Buffer.byteLength(eventJson(candidate)) <= MAX_EVENT_BYTES);
}

/** True when fitting left out changes: the event no longer says every field that changed. */
export function changesLeftOut(event: ChangeEvent): boolean {
  return event.data.truncated === true && (event.data.omittedChanges ?? 0) > 0;
}

function withoutProject(event: ChangeEvent): ChangeEvent {
  const name = projectNameOf(event);
  return withData(event, {
    project: null,
    truncated: true,
    ...(name === undefined || name === '' ? {} : { projectName: shortenText(name, MAX_PROJECT_NAME_LENGTH) }),
  });
}

/** The most leading changes that fit (found by bisection: fitting is monotone in the count), the rest counted. */
function firstChangesThatFit(event: ChangeEvent, fits: (candidate: ChangeEvent) => boolean): ChangeEvent {
  const all = event.data.changes;
  const keeping = (count: number) =>
    withData(event, {
      changes: all.slice(0, count),
      ...(count < all.length ? { omittedChanges: all.length - count } : {}),
    });
  let [fitting, failing] = [0, all.length];
  while (failing - fitting > 1) {
    const middle = Math.floor((fitting + failing) / 2);
    if (fits(keeping(middle))) fitting = middle;
    else failing = middle;
  }
  return keeping(fitting);
}

function withData(event: ChangeEvent, data: Partial<ChangeEvent['data']>): ChangeEvent {
  return { ...event, data: { ...event.data, ...data } };
}

function shortenChange(change: FieldChange, limit: number): FieldChange {
  // Paths stay whole: a shortened pointer would point elsewhere. A path too long to send goes with the rest.
  const shortened: { path: string; before?: JsonValue; after?: JsonValue } = { path: change.path };
  if ('before' in change) shortened.before = shortenValue(change.before ?? null, limit);
  if ('after' in change) shortened.after = shortenValue(change.after ?? null, limit);
  return shortened;
}

/** A value whose JSON is longer than `limit` becomes the start of that JSON text, ending in an ellipsis. */
function shortenValue(value: JsonValue, limit: number): JsonValue {
  if (typeof value === 'string') return shortenText(value, limit);
  if (value === null || typeof value !== 'object') return value;
  const text = JSON.stringify(value);
  return text.length <= limit ? value : shortenText(text, limit);
}

function shortenText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit - 1);
  // Never split a surrogate pair: half a character would be an invalid string in every transport.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
