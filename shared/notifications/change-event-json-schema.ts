/**
 * The published JSON Schema of the change event (docs/schema/): the contract's own schema
 * (change-event-schema.ts) with what each part means. Kept apart so the poller, which validates
 * recorded events with the same schema, does not carry the prose.
 * Layer: notifications (pure).
 */
import { onFirstUse } from '../support/on-first-use.js';
import * as z from '../support/schema.js';
import {
  ATTRIBUTE_NAME,
  CHANGE_EVENT_SCHEMA_ID,
  CHANGE_EVENT_SCHEMA_VERSION,
  type ChangeEventDocumentation,
  changeEventSchemaWith,
  type Document,
} from './change-event-schema.js';

/** What only a shortened event may carry requires: `truncated: true`. */
const SHORTENED = { required: ['truncated'], properties: { truncated: { type: 'boolean', const: true } } };
/** "Has this property", as ajv's strict mode takes it: a `required` name is also declared. */
const present = (name: string) => ({ required: [name], properties: { [name]: {} } });

const DOCUMENTATION: ChangeEventDocumentation = {
  jsonValue: { id: 'JsonValue', description: 'Any JSON value, as the Midaxo API returned it.' },
  jsonObject: { id: 'JsonObject', description: 'A JSON object, as the Midaxo API returned it.' },
  path: {
    description:
      'JSON Pointer (RFC 6901) to the changed value in the project, e.g. "/owner/name". Objects are ' +
      'compared member by member, arrays as whole values.',
  },
  before: { description: 'The value before the change; absent when the field did not exist.' },
  after: { description: 'The value after the change; absent when the field was removed.' },
  newField: { title: 'New field' },
  fieldChange: { title: 'Field change', anyOf: [present('before'), present('after')] },
  changes: {
    created: { description: 'Every field of the new project, with `after` only.' },
    updated: {
      description:
        'What changed; empty when `diffUnavailable` is true or the event had to leave its changes out.',
    },
    deleted: { description: 'Always empty: a deletion changes no field.' },
  },
  processId: { description: 'The Midaxo process the project belongs to.' },
  projectId: { description: 'The project (deal) id, equal to `subject`.' },
  project: {
    description:
      'The project after the change (for `deleted`, the last one known); null when it was too large ' +
      'to send (`truncated`) or never kept.',
  },
  diffUnavailable: {
    description: 'True when the previous version was too large to keep, so `changes` cannot be listed.',
  },
  truncated: {
    description:
      'True when the event was shrunk to fit the transport: `project` dropped (its name kept in ' +
      '`projectName`), then long values in `changes` shortened (a string, or the JSON text of an ' +
      'object or array, cut to end in "…"), then only the first changes kept (`omittedChanges` counts ' +
      'the rest). Look the project up for the full data.',
  },
  projectName: {
    description:
      "The project's `name`, cut to 256 characters, when the event had to drop `project` (`truncated`).",
  },
  omittedChanges: {
    description: 'How many changes a shortened event (`truncated`) left out after the ones it lists.',
  },
  data: (kind) => ({
    title: `Change data (${kind})`,
    // The rules zod states as refinements, in JSON Schema's words.
    allOf: [
      {
        anyOf: [
          { properties: { diffUnavailable: { type: 'boolean', const: false } } },
          { not: present('diffUnavailable') },
          { properties: { changes: { type: 'array', maxItems: 0 } } },
        ],
      },
      { anyOf: [{ not: present('omittedChanges') }, SHORTENED] },
      {
        anyOf: [
          { not: present('projectName') },
          { ...SHORTENED, properties: { ...SHORTENED.properties, project: { type: 'null' } } },
        ],
      },
    ],
  }),
  specversion: { description: 'CloudEvents specification version.' },
  id: {
    description:
      'Unique for each change, and equal whenever the same change is delivered again (retries, ' +
      'recovery, replay): de-duplicate on it. 32 lower-case hex digits.',
  },
  source: {
    description:
      'The project, as a URI: "https://api.app-eu.midaxo.com/processes/{processId}/projects/{projectId}" ' +
      '(ids URI-encoded, equal to `data.processId` and `subject`). `sequence` orders the events of one source.',
    format: 'uri',
  },
  type: { description: 'What happened to the project.' },
  subject: { description: 'The project id, equal to `data.projectId`.' },
  sequence: {
    description:
      "CloudEvents sequence extension: the project's event number, 20 zero-padded digits, so string " +
      'order is number order, from 1. Strictly increasing per project (per `source`), across created, updated, ' +
      'deleted and a re-creation; keep the highest you applied and ignore older ones.',
  },
  time: {
    description:
      "RFC 3339 UTC instant of the change, in 2000–2099: the project's `updatedAt` when plausible, else " +
      'when it was detected (always for `deleted`).',
    format: 'date-time',
  },
  event: (kind) => ({ title: `${kind} event` }),
  changeEvent: {
    $id: CHANGE_EVENT_SCHEMA_ID,
    title: `Midaxo project change event, version ${CHANGE_EVENT_SCHEMA_VERSION}`,
    description:
      'A CloudEvents 1.0 JSON document published to SNS for each created, updated or deleted Midaxo ' +
      'project. `subject` always equals `data.projectId`.',
    type: 'object',
    propertyNames: { pattern: ATTRIBUTE_NAME },
  },
};

/** Each part's documentation as the JSON Schema shows it (`z.meta` copies the schema, as the full API's `.meta()`). */
const withDocumentation: Document = (schema, metadata) => schema.check(z.meta(metadata(DOCUMENTATION)));

// Once: its JSON values' ids go into zod's global registry, which refuses an id a second time.
const documentedSchema = onFirstUse(() => changeEventSchemaWith(z.looseObject, withDocumentation));

/** The JSON Schema (draft 2020-12) checked in under docs/schema/. */
export function changeEventJsonSchema(): Record<string, unknown> {
  const { $schema, $id, title, description, ...rest } = z.toJSONSchema(documentedSchema(), {
    target: 'draft-2020-12',
  });
  // Identity first, so a reader of the file sees what it is and which version before the details.
  return { $schema, $id, title, description, ...rest };
}
