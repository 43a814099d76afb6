/**
 * Shrinks an event until a transport takes it, rather than ever dropping it or letting it block the
 * process: first the snapshot goes (the consumer can fetch the project), then long values in `changes`
 * are cut shorter and shorter, then only the changed paths are kept, and as the last resort no changes
 * at all. The last resort still says which project changed and how (id, type, subject, sequence,
 * process, project, `truncated: true`), so it always fits. The result says `truncated: true` so
 * consumers know to look the project up.
 */
import type { ChangeEvent, FieldChange } from './change-event.js';
import type { JsonValue } from './json.js';

/** Longest JSON text (in characters) a shortened value keeps, tried in turn. */
const VALUE_LIMITS = [16_384, 4_096, 1_024, 256, 64] as const;

export function fitEvent(event: ChangeEvent, fits: (candidate: ChangeEvent) => boolean): ChangeEvent {
  if (fits(event)) return event;
  const withoutSnapshot = withData(event, { project: null, truncated: true });
  if (fits(withoutSnapshot)) return withoutSnapshot;
  for (const limit of VALUE_LIMITS) {
    const shortened = withData(withoutSnapshot, {
      changes: withoutSnapshot.data.changes.map((change) => shortenChange(change, limit)),
    });
    if (fits(shortened)) return shortened;
  }
  const pathsOnly = withData(withoutSnapshot, {
    changes: withoutSnapshot.data.changes.map((change) => ({ path: change.path })),
  });
  if (fits(pathsOnly)) return pathsOnly;
  return withData(withoutSnapshot, { changes: [] });
}

/** True when fitting left out changes: the event no longer says which fields changed. */
export function changesLeftOut(event: ChangeEvent): boolean {
  return event.data.truncated === true && event.data.changes.length === 0;
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
