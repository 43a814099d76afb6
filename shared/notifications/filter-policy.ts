/**
 * Turns a notification target's filter into the SNS subscription filter policy (MessageAttributes
 * scope) that implements it, so SNS drops what a subscriber did not ask for before it is delivered.
 * Layer: notifications (pure, no AWS imports); the CDK stack imports it.
 *
 * Rules, one per filter key, combined with AND:
 *  - `eventTypes`: only those kinds of change.
 *  - `processIds`: only those processes.
 *  - `changedFields`: only events about one of these top-level fields, or events that cannot say which
 *    fields they are about (the attribute's `*`: an update whose previous snapshot was too large to
 *    compare, or an event too large to list its fields), so a filtered subscriber never misses a change
 *    it may have asked for. `created` lists every field the new project has, `deleted` every field of
 *    the last snapshot. Deletions still need `deleted` in `eventTypes`: with `changedFields` alone,
 *    only `created` and `updated` are delivered.
 */
import { type ChangeKind, EVENT_TYPES } from '../core/change-event.js';
import { ANY_FIELD } from './filter-fields.js';
import { MESSAGE_ATTRIBUTES } from './message-attributes.js';

export interface NotificationFilter {
  readonly eventTypes?: readonly ChangeKind[];
  /** Top-level project field names, e.g. `stage`, `owner`. */
  readonly changedFields?: readonly string[];
  readonly processIds?: readonly string[];
}

/** The operator this module emits: exact string match, the simplest SNS evaluates the same everywhere. */
export type FilterCondition = string;

/** Attribute name → conditions, any of which may match; every attribute must match. */
export type SnsFilterPolicy = Readonly<Record<string, readonly FilterCondition[]>>;

/** SNS's limit on the product of the condition counts of a policy's attributes. */
export const MAX_FILTER_POLICY_COMBINATIONS = 150;

export class FilterPolicyError extends Error {
  override readonly name = 'FilterPolicyError';
}

/** Events that list changed fields; the only ones a `changedFields` condition can narrow. */
const KINDS_WITH_FIELD_CHANGES: readonly ChangeKind[] = ['created', 'updated'];

/** The filter policy for `filter`; undefined when the filter narrows nothing (the subscriber gets every event). */
export function snsFilterPolicy(filter: NotificationFilter): SnsFilterPolicy | undefined {
  const eventTypes = filter.eventTypes === undefined ? undefined : eventTypesOf(filter.eventTypes);
  const processIds = filter.processIds === undefined ? undefined : valuesOf('processIds', filter.processIds);
  const changedFields =
    filter.changedFields === undefined ? undefined : valuesOf('changedFields', filter.changedFields);

  const policy: Record<string, readonly FilterCondition[]> = {};
  if (changedFields !== undefined) {
    const kinds = eventTypes ?? KINDS_WITH_FIELD_CHANGES;
    if (!kinds.some((kind) => KINDS_WITH_FIELD_CHANGES.includes(kind))) {
      throw new FilterPolicyError(
        'filter: changedFields has no effect on deleted events (a deletion changes no fields); ' +
          'remove changedFields, or add "created" or "updated" to eventTypes',
      );
    }
    if (kinds.length < EVENT_TYPES.length) policy[MESSAGE_ATTRIBUTES.eventType] = kinds;
    policy[MESSAGE_ATTRIBUTES.changedFields] = [...changedFields, ANY_FIELD];
  } else if (eventTypes !== undefined && eventTypes.length < EVENT_TYPES.length) {
    policy[MESSAGE_ATTRIBUTES.eventType] = eventTypes;
  }
  if (processIds !== undefined) policy[MESSAGE_ATTRIBUTES.processId] = processIds;

  if (Object.keys(policy).length === 0) return undefined;
  const combinations = filterPolicyCombinations(policy);
  if (combinations > MAX_FILTER_POLICY_COMBINATIONS) {
    throw new FilterPolicyError(
      `filter: allows ${combinations} combinations of values (eventTypes x processIds x changedFields, ` +
        `where changedFields counts one more for events without field changes); SNS allows at most ` +
        `${MAX_FILTER_POLICY_COMBINATIONS}: split the target or list fewer values`,
    );
  }
  return policy;
}

/** What SNS counts against its complexity limit: the product of every attribute's condition count. */
export function filterPolicyCombinations(policy: SnsFilterPolicy): number {
  return Object.values(policy).reduce((product, conditions) => product * conditions.length, 1);
}

function eventTypesOf(eventTypes: readonly ChangeKind[]): ChangeKind[] {
  if (eventTypes.length === 0) {
    throw new FilterPolicyError('filter: eventTypes must list at least one event type, or be left out');
  }
  for (const kind of eventTypes) {
    if (!EVENT_TYPES.includes(kind)) {
      throw new FilterPolicyError(
        `filter: eventTypes may only hold ${EVENT_TYPES.map((t) => `"${t}"`).join(', ')}`,
      );
    }
  }
  // In the fixed order of EVENT_TYPES, so the same choice always gives the same policy.
  return EVENT_TYPES.filter((kind) => eventTypes.includes(kind));
}

/**
 * Distinct values in their given order. SNS wants `"` and `\` double-escaped in attribute
 * policies, which no process id or field name needs, so they are refused rather than escaped.
 */
function valuesOf(key: 'processIds' | 'changedFields', values: readonly string[]): string[] {
  if (values.length === 0) {
    throw new FilterPolicyError(`filter: ${key} must list at least one value, or be left out`);
  }
  for (const value of values) {
    if (value.trim() === '' || /["\\]/.test(value)) {
      throw new FilterPolicyError(
        `filter: every entry of ${key} must be non-blank text without double quotes or backslashes`,
      );
    }
    if (key === 'changedFields' && value === ANY_FIELD) {
      throw new FilterPolicyError(
        `filter: "${ANY_FIELD}" is not a field name (events carry it when their fields are unknown, and every changedFields filter already lets those through)`,
      );
    }
  }
  return [...new Set(values)];
}
