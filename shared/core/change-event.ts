/**
 * The change event: a CloudEvents 1.0 JSON document, the contract with every subscriber.
 * Layer: core.
 */
import type { JsonObject, JsonValue } from './json.js';
import { firstPointerKey } from './json-pointer.js';

export const EVENT_TYPES = ['created', 'updated', 'deleted'] as const;
export type ChangeKind = (typeof EVENT_TYPES)[number];

/** One changed value; `path` is a JSON Pointer (RFC 6901) into the project. Absent side = not present. */
export interface FieldChange {
  readonly path: string;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

export interface ChangeEventData {
  readonly processId: string;
  readonly projectId: string;
  readonly changes: readonly FieldChange[];
  /** Current snapshot; for `deleted`, the last one known. */
  readonly project: JsonObject | null;
  /** True when no earlier snapshot was kept (too large), so `changes` cannot be listed. */
  readonly diffUnavailable?: boolean;
  /** True when the event was shrunk to fit the transport: snapshot dropped, values shortened or left out. */
  readonly truncated?: boolean;
  /** The project's name (shortened), kept when the snapshot was dropped to fit, so renderings can show it. */
  readonly projectName?: string;
  /** How many changes were left out to fit; the listed ones are the first, in order. */
  readonly omittedChanges?: number;
}

export interface ChangeEvent {
  readonly specversion: '1.0';
  readonly id: string;
  /** One source per project, so the `sequence` extension orders exactly the events of one project. */
  readonly source: string;
  readonly type: `com.midaxo.project.${ChangeKind}`;
  readonly subject: string;
  /** CloudEvents `sequence` extension: the project's event number, fixed-width so string order is number order. */
  readonly sequence: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: ChangeEventData;
}

const EVENT_TYPE_PREFIX = 'com.midaxo.project.';

/** The CloudEvents `type` of a kind of change, e.g. `com.midaxo.project.updated`. */
export function eventTypeOf<K extends ChangeKind>(kind: K): `com.midaxo.project.${K}` {
  return `${EVENT_TYPE_PREFIX}${kind}`;
}

export function changeKindOf(event: ChangeEvent): ChangeKind {
  return event.type.slice(EVENT_TYPE_PREFIX.length) as ChangeKind;
}

/** Longest JSON text of an event, in UTF-8 bytes: SNS's limit, which every event is fitted into. */
export const MAX_EVENT_BYTES = 256 * 1024;

/** The project's `name` as the event carries it: in the snapshot, or beside it once the snapshot was dropped. */
export function projectNameOf(event: ChangeEvent): string | undefined {
  const name = event.data.project?.name ?? event.data.projectName;
  return typeof name === 'string' ? name : undefined;
}

/** Top-level field names touched by an event's listed changes, sorted; for display. */
export function changedFieldsOf(event: ChangeEvent): string[] {
  const fields = new Set<string>();
  for (const change of event.data.changes) {
    const field = firstPointerKey(change.path);
    if (field !== undefined) fields.add(field);
  }
  return [...fields].sort();
}
