/**
 * A recorded event as the stores keep it, its JSON text exactly as published, read back through one
 * schema before a replay or a finished delivery publishes it again: what goes out must still be a
 * change event (docs/events.md), and the one of the record it was read from.
 * Layer: adapter, shared by the DynamoDB and SQLite stores; each names its own corrupt state.
 */
import { type ChangeEvent, EVENT_TYPES, eventTypeOf } from '../core/change-event.js';
import { formatSequence } from '../core/event-sequence.js';
import { onFirstUse } from '../support/on-first-use.js';
import * as z from '../support/schema.js';

/** The record an event was read from: its process, project and event number. */
export interface EventRecordKey {
  readonly processId: string;
  readonly projectId: string;
  readonly sequence: number;
}

/**
 * The envelope consumers rely on. The snapshot and the changes' values are the API's data, kept as they
 * were; only their shape is checked. Only replays and recoveries read events: built then, not at import.
 */
const recordedEventSchema = onFirstUse(() =>
  z.looseObject({
    specversion: z.literal('1.0'),
    id: z.string().check(z.minLength(1)),
    source: z.string().check(z.minLength(1)),
    type: z.enum(EVENT_TYPES.map(eventTypeOf)),
    subject: z.string(),
    sequence: z.string().check(z.regex(/^\d{20}$/)),
    time: z.string().check(z.minLength(1)),
    datacontenttype: z.literal('application/json'),
    data: z.looseObject({
      processId: z.string(),
      projectId: z.string(),
      changes: z.array(z.looseObject({ path: z.string() })),
      project: z.nullable(z.record(z.string(), z.unknown())),
    }),
  }),
);

/**
 * The event `text` holds, or undefined when it is no change event or not the record's (an item copied
 * or edited by hand). The parsed text itself is returned, never the schema's copy, so publishing it
 * again sends the same bytes.
 */
export function parseRecordedEvent(text: string, record: EventRecordKey): ChangeEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!recordedEventSchema().safeParse(value).success) return undefined;
  const event = value as ChangeEvent;
  const belongs =
    event.data.processId === record.processId &&
    event.data.projectId === record.projectId &&
    event.subject === record.projectId &&
    event.sequence === formatSequence(record.sequence);
  return belongs ? event : undefined;
}
