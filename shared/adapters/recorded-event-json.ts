/**
 * A recorded event as the stores keep it, its JSON text exactly as published, read back through the
 * contract's own schema (the one docs/schema/ is generated from and subscribers validate with) before a
 * replay or a finished delivery publishes it again: what goes out must still be a change event
 * (docs/events.md), and the one of the record it was read from.
 * Layer: adapter, shared by the DynamoDB and SQLite stores; each names its own corrupt state.
 */
import type { ChangeEvent } from '../core/change-event.js';
import { formatSequence } from '../core/event-sequence.js';
import { InvalidChangeEventError, readChangeEvent } from '../notifications/change-event-schema.js';

/** The record an event was read from: its process, project and event number. */
export interface EventRecordKey {
  readonly processId: string;
  readonly projectId: string;
  readonly sequence: number;
}

/**
 * The event `text` holds, or undefined when it is no change event or not the record's (an item copied
 * or edited by hand).
 */
export function parseRecordedEvent(text: string, record: EventRecordKey): ChangeEvent | undefined {
  const event = readChangeEvent(text);
  if (event instanceof InvalidChangeEventError) return undefined;
  // The schema already holds `subject` to `data.projectId`.
  const belongs =
    event.data.processId === record.processId &&
    event.data.projectId === record.projectId &&
    event.sequence === formatSequence(record.sequence);
  return belongs ? event : undefined;
}
