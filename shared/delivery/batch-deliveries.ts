/**
 * How a worker turns a batch of queued change events into what it sends: one message for a batch of
 * one (as each event was always rendered), one digest for a batch of several. A message that is no
 * change event cannot be rendered: it is set aside, to go back to the queue (and in the end to the
 * dead-letter queue, where it can be looked at) without holding up the others.
 * Layer: delivery (pure).
 */
import type { ChangeEvent } from '../core/change-event.js';
import { InvalidChangeEventError, readChangeEvent } from '../notifications/change-event-schema.js';
import type { Delivery } from './drain-to-paced-target.js';
import type { QueuedMessage } from './sqs-batch.js';

export interface Renderings<P> {
  one(event: ChangeEvent): P;
  many(events: readonly ChangeEvent[]): P;
}

export interface Unreadable {
  readonly messageId: string;
  readonly reason: string;
}

export interface BatchPlan<P> {
  readonly deliveries: readonly Delivery<P>[];
  /** How many change events the deliveries carry. */
  readonly events: number;
  readonly unreadable: readonly Unreadable[];
}

export function oneOrDigest<P>(messages: readonly QueuedMessage[], render: Renderings<P>): BatchPlan<P> {
  const events: ChangeEvent[] = [];
  const messageIds: string[] = [];
  const unreadable: Unreadable[] = [];
  for (const { messageId, body } of messages) {
    const event = readChangeEvent(body);
    if (event instanceof InvalidChangeEventError) {
      unreadable.push({ messageId, reason: event.message });
      continue;
    }
    events.push(event);
    messageIds.push(messageId);
  }
  const [only] = events;
  const deliveries =
    only === undefined
      ? []
      : [{ payload: events.length === 1 ? render.one(only) : render.many(events), messageIds }];
  return { deliveries, events: events.length, unreadable };
}
