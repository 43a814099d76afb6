/**
 * The `changedFields` message attribute: which top-level fields an event is about, for subscription
 * filter policies. Every event carries it, so a policy never has to ask whether it exists:
 *  - created: the new project's top-level fields; deleted: the last snapshot's;
 *  - updated: the top-level fields its changes touch;
 *  - `*` when they are unknown (no diff, the event had to leave its changes out) or too many to send.
 * A filter for `stage` therefore matches `["stage", "*"]`.
 * Layer: notifications (pure).
 */
import { type ChangeEvent, changedFieldsOf, changeKindOf } from '../core/change-event.js';
import { changesLeftOut } from '../core/fit-event.js';

/** Stands for "any field": the event cannot say which. */
export const ANY_FIELD = '*';
/** SNS filters at most this many values per String.Array attribute comparison; longer lists say `*`. */
export const MAX_LISTED_FIELDS = 100;
/** Bytes of the attribute's JSON text above which it says `*` instead. */
export const MAX_FIELDS_BYTES = 4_096;

export function filterFieldsOf(event: ChangeEvent): string[] {
  const fields = listedFields(event);
  if (fields === undefined || fields.length === 0 || fields.length > MAX_LISTED_FIELDS) return [ANY_FIELD];
  if (Buffer.byteLength(JSON.stringify(fields), 'utf8') > MAX_FIELDS_BYTES) return [ANY_FIELD];
  return fields;
}

function listedFields(event: ChangeEvent): string[] | undefined {
  const { data } = event;
  if (changeKindOf(event) === 'deleted')
    return data.project === null ? undefined : Object.keys(data.project).sort();
  if (data.diffUnavailable === true || changesLeftOut(event)) return undefined;
  return changedFieldsOf(event);
}
