/**
 * The change event contract as a schema: subscribers (the Slack forwarder) validate what they receive
 * with it, the stores check a recorded event with it before a replay or a finished delivery publishes it
 * again, and the published JSON Schema (docs/schema/, change-event-json-schema.ts) is generated from it
 * with its documentation added, so none of them can drift apart. Written with `zod/mini`
 * (support/schema.ts) and built on first use, because the poller carries it and only replays and
 * recoveries need it there; the documentation stays out of the poller's bundle.
 * Layer: notifications (pure).
 *
 * Objects are open: a consumer must ignore attributes it does not know (CloudEvents extensions, or
 * fields a later minor version adds). `strictChangeEventSchema` closes them, for tests that check
 * the producer emits nothing the schema does not document.
 */
import { sourceNamesProject } from '../core/build-change-event.js';
import {
  type ChangeEvent,
  type ChangeKind,
  EVENT_TYPES,
  eventTypeOf,
  MAX_EVENT_BYTES,
} from '../core/change-event.js';
import { MAX_PROJECT_NAME_LENGTH } from '../core/fit-event.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import { onFirstUse } from '../support/on-first-use.js';
import * as z from '../support/schema.js';

/** Raised with the minor version for a new optional field, the major one for anything that breaks a consumer. */
export const CHANGE_EVENT_SCHEMA_VERSION = '2.1.0';
export const CHANGE_EVENT_SCHEMA_MAJOR = CHANGE_EVENT_SCHEMA_VERSION.split('.')[0];
export const CHANGE_EVENT_SCHEMA_ID = `urn:midaxo-change-notifier:schema:change-event:${CHANGE_EVENT_SCHEMA_VERSION}`;

/** RFC 6901: `/`-separated tokens in which `~` only appears as `~0` or `~1`; never "" (the whole project). */
const JSON_POINTER = /^(\/([^~/]|~[01])*)+$/;
/**
 * CloudEvents attribute names (extensions included): lower-case letters and digits. The specification
 * only advises 20 characters at most, so a longer extension is still an attribute a consumer ignores.
 */
export const ATTRIBUTE_NAME = '^[a-z0-9]+$';
/** 20 digits, from 1 up: a project's first event is number 1. */
const SEQUENCE = /^(?!0{20})\d{20}$/;
/** Events are from this century: `time` is a plausible `updatedAt` (2000 or later) or when it was detected. */
const TIME_YEAR = /^20\d\d-/;
const ATTRIBUTE_NAME_PATTERN = new RegExp(ATTRIBUTE_NAME);

type ObjectFactory = typeof z.looseObject | typeof z.strictObject;
export type SchemaMetadata = Record<string, unknown>;

/** What the JSON Schema says of each part of the event; the parts' names are this interface's keys. */
export interface ChangeEventDocumentation {
  readonly jsonValue: SchemaMetadata;
  readonly jsonObject: SchemaMetadata;
  readonly path: SchemaMetadata;
  readonly before: SchemaMetadata;
  readonly after: SchemaMetadata;
  readonly newField: SchemaMetadata;
  readonly fieldChange: SchemaMetadata;
  readonly changes: Readonly<Record<ChangeKind, SchemaMetadata>>;
  readonly processId: SchemaMetadata;
  readonly projectId: SchemaMetadata;
  readonly project: SchemaMetadata;
  readonly diffUnavailable: SchemaMetadata;
  readonly truncated: SchemaMetadata;
  readonly projectName: SchemaMetadata;
  readonly omittedChanges: SchemaMetadata;
  readonly data: (kind: ChangeKind) => SchemaMetadata;
  readonly specversion: SchemaMetadata;
  readonly id: SchemaMetadata;
  readonly source: SchemaMetadata;
  readonly type: SchemaMetadata;
  readonly subject: SchemaMetadata;
  readonly sequence: SchemaMetadata;
  readonly time: SchemaMetadata;
  readonly event: (kind: ChangeKind) => SchemaMetadata;
  readonly changeEvent: SchemaMetadata;
}

/**
 * Adds a part's documentation to its schema, for the JSON Schema (change-event-json-schema.ts); the
 * contract as validated is built with `undocumented`, so the prose and zod's registry stay out of the
 * poller's bundle.
 */
export type Document = <T extends z.ZodMiniType>(
  schema: T,
  metadata: (docs: ChangeEventDocumentation) => SchemaMetadata,
) => T;

const undocumented: Document = (schema) => schema;

function jsonValuesWith(document: Document) {
  const jsonValue: z.ZodMiniType<JsonValue> = document(
    z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), jsonObject])),
    (docs) => docs.jsonValue,
  );
  const jsonObject: z.ZodMiniType<JsonObject> = document(
    z.record(z.string(), jsonValue),
    (docs) => docs.jsonObject,
  );
  return { jsonValue, jsonObject };
}

/** What every part of one schema is built with: its kind of object, its documentation, its JSON values. */
interface SchemaBuild extends ReturnType<typeof jsonValuesWith> {
  readonly object: ObjectFactory;
  readonly document: Document;
}

function changesOf({ object, document, jsonValue }: SchemaBuild, kind: ChangeKind) {
  const path = document(
    z
      .string()
      .check(
        z.regex(
          JSON_POINTER,
          'expected a JSON Pointer such as "/stage" (RFC 6901: "~" only as "~0" or "~1")',
        ),
      ),
    (docs) => docs.path,
  );
  const before = document(z.optional(jsonValue), (docs) => docs.before);
  const after = document(z.optional(jsonValue), (docs) => docs.after);
  const listed = {
    created: () =>
      z.array(
        document(object({ path, after: jsonValue, before: z.optional(z.never()) }), (docs) => docs.newField),
      ),
    updated: () =>
      z.array(
        document(
          object({ path, before, after }).check(
            z.refine((change) => change.before !== undefined || change.after !== undefined, {
              error: 'a field change has `before`, `after` or both',
            }),
          ),
          (docs) => docs.fieldChange,
        ),
      ),
    deleted: () => z.array(z.never()).check(z.maxLength(0)),
  }[kind]();
  return document(
    listed.check(
      z.refine((changes) => new Set(changes.map((change) => change.path)).size === changes.length, {
        error: 'each path appears in one change only',
      }),
    ),
    (docs) => docs.changes[kind],
  );
}

function dataOf(build: SchemaBuild, kind: ChangeKind) {
  const { object, document, jsonObject } = build;
  return document(
    object({
      processId: document(z.string().check(z.minLength(1)), (docs) => docs.processId),
      projectId: document(z.string().check(z.minLength(1)), (docs) => docs.projectId),
      changes: changesOf(build, kind),
      project: document(z.nullable(jsonObject), (docs) => docs.project),
      diffUnavailable: document(z.optional(z.boolean()), (docs) => docs.diffUnavailable),
      truncated: document(z.optional(z.boolean()), (docs) => docs.truncated),
      projectName: document(
        z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_PROJECT_NAME_LENGTH))),
        (docs) => docs.projectName,
      ),
      omittedChanges: document(
        z.optional(z.number().check(z.int(), z.minimum(1))),
        (docs) => docs.omittedChanges,
      ),
    }).check(
      z.refine((data) => data.diffUnavailable !== true || data.changes.length === 0, {
        error: 'an event without a diff (`diffUnavailable`) lists no changes',
        path: ['changes'],
      }),
      z.refine((data) => data.omittedChanges === undefined || data.truncated === true, {
        error: 'only a shortened event (`truncated`) leaves changes out',
        path: ['omittedChanges'],
      }),
      z.refine(
        (data) => data.projectName === undefined || (data.truncated === true && data.project === null),
        { error: 'only a shortened event without its project carries `projectName`', path: ['projectName'] },
      ),
    ),
    (docs) => docs.data(kind),
  );
}

function eventOf(build: SchemaBuild, kind: ChangeKind) {
  const { object, document } = build;
  return document(
    object({
      specversion: document(z.literal('1.0'), (docs) => docs.specversion),
      id: document(z.string().check(z.regex(/^[0-9a-f]{32}$/)), (docs) => docs.id),
      source: document(z.url().check(z.regex(/\/processes\/[^/]+\/projects\/[^/]+$/)), (docs) => docs.source),
      type: document(z.literal(eventTypeOf(kind)), (docs) => docs.type),
      subject: document(z.string().check(z.minLength(1)), (docs) => docs.subject),
      sequence: document(z.string().check(z.regex(SEQUENCE)), (docs) => docs.sequence),
      time: document(z.iso.datetime().check(z.regex(TIME_YEAR)), (docs) => docs.time),
      datacontenttype: z.literal('application/json'),
      data: dataOf(build, kind),
    }),
    (docs) => docs.event(kind),
  );
}

/** The contract, with open (`z.looseObject`) or closed objects, documented for the JSON Schema or not. */
export function changeEventSchemaWith(object: ObjectFactory, document: Document = undocumented) {
  // JSON values built once per schema: documented, they carry ids, which a registry takes only once.
  const build: SchemaBuild = { object, document, ...jsonValuesWith(document) };
  const kinds = EVENT_TYPES.map((kind) => eventOf(build, kind)) as unknown as [
    ReturnType<typeof eventOf>,
    ...ReturnType<typeof eventOf>[],
  ];
  return document(
    z.discriminatedUnion('type', kinds).check(
      z.refine((event) => event.subject === event.data.projectId, {
        error: 'subject must equal data.projectId',
        path: ['subject'],
      }),
      z.refine((event) => sourceNamesProject(event.source, event.data.processId, event.data.projectId), {
        error: 'source must be the URI of the project: …/processes/{data.processId}/projects/{subject}',
        path: ['source'],
      }),
      z.refine((event) => Buffer.byteLength(JSON.stringify(event)) <= MAX_EVENT_BYTES, {
        error: `an event's JSON text is at most ${MAX_EVENT_BYTES} bytes`,
      }),
      z.refine((event) => Object.keys(event).every((name) => ATTRIBUTE_NAME_PATTERN.test(name)), {
        error: 'CloudEvents attribute names are lower-case letters and digits',
      }),
    ),
    (all) => all.changeEvent,
  );
}

/** The contract consumers validate with: open objects. */
export const changeEventSchema = onFirstUse(() => changeEventSchemaWith(z.looseObject));
/** The contract with closed objects: what the producer emits must all be documented. */
export const strictChangeEventSchema = onFirstUse(() => changeEventSchemaWith(z.strictObject));

export class InvalidChangeEventError extends Error {
  override readonly name = 'InvalidChangeEventError';
}

/**
 * The change event `text` holds, or an error that lists what is wrong by path, never the values. The
 * parsed text itself is returned, never the schema's copy, so sending it again sends the same bytes.
 */
export function readChangeEvent(text: string): ChangeEvent | InvalidChangeEventError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new InvalidChangeEventError('The message is not JSON, so it is no change event');
  }
  const parsed = changeEventSchema().safeParse(value);
  if (parsed.success) return value as ChangeEvent;
  const problems = parsed.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`)
    .join('; ');
  return new InvalidChangeEventError(`The message is no valid change event: ${problems}`);
}

/** Parses a message body into a change event, throwing `InvalidChangeEventError` when it is none. */
export function parseChangeEvent(text: string): ChangeEvent {
  const event = readChangeEvent(text);
  if (event instanceof InvalidChangeEventError) throw event;
  return event;
}
