/**
 * Shrinks an event until a transport takes it, rather than ever dropping it: first the snapshot goes
 * (the consumer can fetch the project), then long values in `changes` are cut shorter and shorter.
 * The result says `truncated: true` so consumers know to look the project up.
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
  // Past this, only the paths are left: still an event that says what changed where.
  return withData(withoutSnapshot, {
    changes: withoutSnapshot.data.changes.map((change) => ({ path: change.path })),
  });
}

function withData(event: ChangeEvent, data: Partial<ChangeEvent['data']>): ChangeEvent {
  return { ...event, data: { ...event.data, ...data } };
}

function shortenChange(change: FieldChange, limit: number): FieldChange {
  const shortened: { path: string; before?: JsonValue; after?: JsonValue } = { path: change.path };
  if ('before' in change) shortened.before = shortenValue(change.before ?? null, limit);
  if ('after' in change) shortened.after = shortenValue(change.after ?? null, limit);
  return shortened;
}

/** A value whose JSON is longer than `limit` becomes the start of that JSON text, ending in an ellipsis. */
function shortenValue(value: JsonValue, limit: number): JsonValue {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.length <= limit) return value;
  return `${text.slice(0, Math.max(0, limit - 1))}…`;
}
