/**
 * A recorded event as the stores keep it, its JSON text exactly as published, read back through the
 * contract's own schema (the one docs/schema/ is generated from and subscribers validate with) before a
 * replay or a finished delivery publishes it again: what goes out must still be a change event
 * (docs/events.md), and the one of the record it was read from.
 * Layer: adapter, shared by the DynamoDB and SQLite stores; each names its own corrupt state.
 */
import type { ChangeEvent } from '../core/change-event.js';
import { formatSequence } from '../core/event-sequence.js';
import { changeEventSchema } from '../notifications/change-event-schema.js';

/** The record an event was read from: its process, project and event number. */
export interface EventRecordKey {
  readonly processId: string;
  readonly projectId: string;
  readonly sequence: number;
}

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
  if (!changeEventSchema().safeParse(value).success) return undefined;
  const event = value as ChangeEvent;
  const belongs =
    event.data.processId === record.processId &&
    event.data.projectId === record.projectId &&
    event.subject === record.projectId &&
    event.sequence === formatSequence(record.sequence);
  return belongs ? event : undefined;
}
