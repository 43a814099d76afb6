/**
 * The change event contract as a zod schema: subscribers (the Slack forwarder) validate what they
 * receive with it, and the published JSON Schema (docs/schema/) is generated from it, so the two
 * cannot drift apart.
 * Layer: notifications (pure).
 *
 * Objects are open: a consumer must ignore attributes it does not know (CloudEvents extensions, or
 * fields a later minor version adds). `strictChangeEventSchema` closes them, for tests that check
 * the producer emits nothing the schema does not document.
 */
import { z } from 'zod';
import { type ChangeEvent, type ChangeKind, EVENT_TYPES, eventTypeOf } from '../core/change-event.js';
import type { JsonObject, JsonValue } from '../core/json.js';

/** Raised with the minor version for a new optional field, the major one for anything that breaks a consumer. */
export const CHANGE_EVENT_SCHEMA_VERSION = '2.0.0';
export const CHANGE_EVENT_SCHEMA_MAJOR = CHANGE_EVENT_SCHEMA_VERSION.split('.')[0];
export const CHANGE_EVENT_SCHEMA_ID = `urn:midaxo-change-notifier:schema:change-event:${CHANGE_EVENT_SCHEMA_VERSION}`;

const jsonValue: z.ZodType<JsonValue> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), jsonObject]))
  .meta({ id: 'JsonValue', description: 'Any JSON value, as the Midaxo API returned it.' });

const jsonObject: z.ZodType<JsonObject> = z
  .record(z.string(), jsonValue)
  .meta({ id: 'JsonObject', description: 'A JSON object, as the Midaxo API returned it.' });

/** RFC 6901: `/`-separated tokens in which `~` only appears as `~0` or `~1`. */
const JSON_POINTER = /^(\/([^~/]|~[01])*)*$/;
/** CloudEvents attribute names (extensions included): lower-case letters and digits. */
const ATTRIBUTE_NAME = '^[a-z0-9]{1,20}$';

type ObjectFactory = typeof z.looseObject | typeof z.strictObject;

const pointer = z
  .string()
  .regex(JSON_POINTER, 'expected a JSON Pointer such as "/stage" (RFC 6901: "~" only as "~0" or "~1")')
  .meta({
    description:
      'JSON Pointer (RFC 6901) to the changed value in the project, e.g. "/owner/name". Objects are ' +
      'compared member by member, arrays as whole values.',
  });
const before = jsonValue
  .optional()
  .meta({ description: 'The value before the change; absent when the field did not exist.' });
const after = jsonValue
  .optional()
  .meta({ description: 'The value after the change; absent when the field was removed.' });

function dataOf(object: ObjectFactory, kind: ChangeKind) {
  const changes = {
    created: z
      .array(object({ path: pointer, after, before: z.never().optional() }).meta({ title: 'New field' }))
      .meta({
        description: 'Every field of the new project, with `after` only.',
      }),
    updated: z.array(object({ path: pointer, before, after }).meta({ title: 'Field change' })).meta({
      description:
        'What changed; empty when `diffUnavailable` is true or the event had to leave its changes out.',
    }),
    deleted: z.array(z.never()).max(0).meta({ description: 'Always empty: a deletion changes no field.' }),
  }[kind];
  return object({
    processId: z.string().min(1).meta({ description: 'The Midaxo process the project belongs to.' }),
    projectId: z.string().min(1).meta({ description: 'The project (deal) id, equal to `subject`.' }),
    changes,
    project: jsonObject.nullable().meta({
      description:
        'The project after the change (for `deleted`, the last one known); null when it was too large ' +
        'to send (`truncated`) or never kept.',
    }),
    diffUnavailable: z.boolean().optional().meta({
      description: 'True when the previous version was too large to keep, so `changes` cannot be listed.',
    }),
    truncated: z
      .boolean()
      .optional()
      .meta({
        description:
          'True when the event was shrunk to fit the transport: `project` dropped, then long values in ' +
          '`changes` shortened (ending in "…"), then values, then the changes themselves left out. Look ' +
          'the project up for the full data.',
      }),
  }).meta({ title: `Change data (${kind})` });
}

function eventOf(object: ObjectFactory, kind: ChangeKind) {
  return object({
    specversion: z.literal('1.0').meta({ description: 'CloudEvents specification version.' }),
    id: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .meta({
        description:
          'Unique for each change, and equal whenever the same change is delivered again (retries, ' +
          'recovery, replay): de-duplicate on it. 32 lower-case hex digits.',
      }),
    source: z
      .url()
      .regex(/\/processes\/[^/]+\/projects\/[^/]+$/)
      .meta({
        description:
          'The project, as a URI: "https://api.app-eu.midaxo.com/processes/{processId}/projects/{projectId}" ' +
          '(ids URI-encoded). `sequence` orders the events of one source.',
      }),
    type: z.literal(eventTypeOf(kind)).meta({ description: 'What happened to the project.' }),
    subject: z.string().min(1).meta({ description: 'The project id, equal to `data.projectId`.' }),
    sequence: z
      .string()
      .regex(/^\d{20}$/)
      .meta({
        description:
          "CloudEvents sequence extension: the project's event number, 20 zero-padded digits, so string " +
          'order is number order. Strictly increasing per project (per `source`), across created, updated, ' +
          'deleted and a re-creation; keep the highest you applied and ignore older ones.',
      }),
    time: z.iso.datetime().meta({
      description:
        "RFC 3339 UTC instant of the change: the project's `updatedAt` when plausible, else when it was " +
        'detected (always for `deleted`).',
    }),
    datacontenttype: z.literal('application/json'),
    data: dataOf(object, kind),
  }).meta({ title: `${kind} event` });
}

function changeEventSchemaWith(object: ObjectFactory) {
  return z
    .discriminatedUnion(
      'type',
      EVENT_TYPES.map((kind) => eventOf(object, kind)) as unknown as [
        ReturnType<typeof eventOf>,
        ...ReturnType<typeof eventOf>[],
      ],
    )
    .refine((event) => event.subject === event.data.projectId, {
      error: 'subject must equal data.projectId',
      path: ['subject'],
    })
    .refine((event) => Object.keys(event).every((name) => new RegExp(ATTRIBUTE_NAME).test(name)), {
      error: 'CloudEvents attribute names are lower-case letters and digits',
    })
    .meta({
      $id: CHANGE_EVENT_SCHEMA_ID,
      title: `Midaxo project change event, version ${CHANGE_EVENT_SCHEMA_VERSION}`,
      description:
        'A CloudEvents 1.0 JSON document published to SNS for each created, updated or deleted Midaxo ' +
        'project. `subject` always equals `data.projectId`.',
      propertyNames: { pattern: ATTRIBUTE_NAME },
    });
}

export const changeEventSchema = changeEventSchemaWith(z.looseObject);
export const strictChangeEventSchema = changeEventSchemaWith(z.strictObject);

/** The JSON Schema (draft 2020-12) checked in under docs/schema/. */
export function changeEventJsonSchema(): Record<string, unknown> {
  const { $schema, $id, title, description, ...rest } = z.toJSONSchema(changeEventSchema, {
    target: 'draft-2020-12',
  });
  // Identity first, so a reader of the file sees what it is and which version before the details.
  return { $schema, $id, title, description, ...rest };
}

export class InvalidChangeEventError extends Error {
  override readonly name = 'InvalidChangeEventError';
}

/** Parses a message body into a change event; the error lists what is wrong by path, never the values. */
export function parseChangeEvent(text: string): ChangeEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidChangeEventError('The message is not JSON, so it is no change event');
  }
  const parsed = changeEventSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 10)
      .map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`)
      .join('; ');
    throw new InvalidChangeEventError(`The message is no valid change event: ${problems}`);
  }
  return parsed.data as unknown as ChangeEvent;
}
