/**
 * Converts between a recorded change (the outbox entry, kept as the event log) and its item.
 * Layer: adapter. The item holds the event exactly as it was published (JSON text), the project's
 * content hash and sequence, and expires after the retention period through the table's TTL; the
 * state to remember is rebuilt from it (`stateAfter`).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { eventJson } from '../../core/event-json.js';
import type { PendingChange, RecordedChange } from '../../core/ports.js';
import { stateAfter } from '../../core/state-after.js';
import { onFirstUse } from '../../support/on-first-use.js';
import * as z from '../../support/schema.js';
import { parseRecordedEvent } from '../recorded-event-json.js';
import { itemSizeBytes } from './item-size.js';
import { CorruptStateError } from './state-store-errors.js';
import { DYNAMODB_MAX_ITEM_BYTES, eventKey, STATE_ATTRIBUTES, STATE_TABLE_KEYS } from './state-table.js';

type Item = Record<string, AttributeValue>;

export function toEventItem(
  processId: string,
  change: PendingChange,
  recordedAt: string,
  expiresAtEpochSeconds: number,
): Item {
  const item: Item = {
    ...eventKey(processId, recordedAt, change.state.projectId, change.event.sequence),
    [STATE_ATTRIBUTES.event]: { S: eventJson(change.event) },
    [STATE_ATTRIBUTES.projectId]: { S: change.state.projectId },
    [STATE_ATTRIBUTES.hash]: { S: change.state.hash },
    [STATE_ATTRIBUTES.sequence]: { N: String(change.state.sequence) },
    [STATE_ATTRIBUTES.recordedAt]: { S: recordedAt },
    [STATE_TABLE_KEYS.timeToLive]: { N: String(expiresAtEpochSeconds) },
  };
  if (itemSizeBytes(item) > DYNAMODB_MAX_ITEM_BYTES) {
    // The publisher fits events to SNS's 256 KB first; only an unfitted event gets here.
    throw new RangeError(
      `Event ${change.event.id} of process ${processId} is too large to record (over 400 KB): fit it to the transport first`,
    );
  }
  return item;
}

const eventItemSchema = onFirstUse(() =>
  z.object({
    [STATE_ATTRIBUTES.event]: z.object({ S: z.string() }),
    [STATE_ATTRIBUTES.projectId]: z.object({ S: z.string() }),
    [STATE_ATTRIBUTES.hash]: z.object({ S: z.string().check(z.minLength(1)) }),
    [STATE_ATTRIBUTES.sequence]: z.object({ N: z.string().check(z.regex(/^\d{1,15}$/)) }),
    [STATE_ATTRIBUTES.recordedAt]: z.object({ S: z.string() }),
  }),
);

export function fromEventItem(processId: string, tableName: string, item: Item): RecordedChange {
  const corrupt = () =>
    new CorruptStateError(
      `A recorded event of process ${processId} (table ${tableName}, ${item[STATE_TABLE_KEYS.sortKey]?.S?.slice(0, 300)}) ` +
        'is corrupt. Delete the item: it is only needed to replay that event or finish its delivery.',
    );
  const parsed = eventItemSchema().safeParse(item);
  if (!parsed.success) throw corrupt();
  const projectId = parsed.data[STATE_ATTRIBUTES.projectId].S;
  const sequence = Number(parsed.data[STATE_ATTRIBUTES.sequence].N);
  const event = parseRecordedEvent(parsed.data[STATE_ATTRIBUTES.event].S, { processId, projectId, sequence });
  if (event === undefined) throw corrupt();
  const state = stateAfter(event, { projectId, hash: parsed.data[STATE_ATTRIBUTES.hash].S, sequence });
  return { event, state, recordedAt: parsed.data[STATE_ATTRIBUTES.recordedAt].S };
}
