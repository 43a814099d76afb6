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
import { type ChangeEvent, EVENT_TYPES, eventTypeOf } from '../core/change-event.js';
import type { JsonObject, JsonValue } from '../core/json.js';

/** Raised with the minor version for a new optional field, the major one for anything that breaks a consumer. */
export const CHANGE_EVENT_SCHEMA_VERSION = '1.0.0';
export const CHANGE_EVENT_SCHEMA_ID = `urn:midaxo-change-notifier:schema:change-event:${CHANGE_EVENT_SCHEMA_VERSION}`;

const jsonValue: z.ZodType<JsonValue> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), jsonObject]))
  .meta({ id: 'JsonValue', description: 'Any JSON value, as the Midaxo API returned it.' });

const jsonObject: z.ZodType<JsonObject> = z
  .record(z.string(), jsonValue)
  .meta({ id: 'JsonObject', description: 'A JSON object, as the Midaxo API returned it.' });

type ObjectFactory = typeof z.looseObject | typeof z.strictObject;

function changeEventSchemaWith(object: ObjectFactory) {
  const fieldChange = object({
    path: z
      .string()
      .regex(/^(\/.*)?$/, 'expected a JSON Pointer such as "/stage"')
      .meta({
        description:
          'JSON Pointer (RFC 6901) to the changed value in the project, e.g. "/owner/name". Objects are ' +
          'compared member by member, arrays as whole values.',
      }),
    before: jsonValue
      .optional()
      .meta({ description: 'The value before the change; absent when the field did not exist.' }),
    after: jsonValue
      .optional()
      .meta({ description: 'The value after the change; absent when the field was removed.' }),
  }).meta({ title: 'Field change' });

  const data = object({
    processId: z.string().min(1).meta({ description: 'The Midaxo process the project belongs to.' }),
    projectId: z.string().min(1).meta({ description: 'The project (deal) id, also in `subject`.' }),
    changes: z.array(fieldChange).meta({
      description:
        'What changed. `created` lists every field with `after` only; `deleted` lists nothing; empty ' +
        'when `diffUnavailable` is true.',
    }),
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
          '`changes` shortened (ending in "…"). Look the project up for the full data.',
      }),
  }).meta({ title: 'Change data' });

  return object({
    specversion: z.literal('1.0').meta({ description: 'CloudEvents specification version.' }),
    id: z.string().min(1).meta({
      description:
        'Equal for the same change however often it is delivered: de-duplicate on it. Opaque (today 32 hex digits).',
    }),
    source: z.url().meta({
      description:
        'The Midaxo instance and process, e.g. "https://api.app-eu.midaxo.com/processes/{processId}".',
    }),
    type: z.enum(EVENT_TYPES.map(eventTypeOf)).meta({
      description: 'What happened to the project.',
    }),
    subject: z.string().min(1).meta({ description: 'The project id.' }),
    time: z.iso.datetime().meta({
      description:
        "When the change happened: the project's `updatedAt` when valid, else when it was detected (always for `deleted`).",
    }),
    datacontenttype: z.literal('application/json'),
    data,
  }).meta({
    $id: CHANGE_EVENT_SCHEMA_ID,
    title: `Midaxo project change event, version ${CHANGE_EVENT_SCHEMA_VERSION}`,
    description:
      'A CloudEvents 1.0 JSON document published to SNS for each created, updated or deleted Midaxo project.',
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
  return parsed.data as ChangeEvent;
}
