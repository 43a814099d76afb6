/**
 * Use case: forward change events delivered by SNS to a Slack channel.
 *  1. parse each message body as a change event (validated against the published schema);
 *  2. render it as a Block Kit message;
 *  3. post it; the poster retries what Slack may accept later and throws when it gives up.
 * Any failure is thrown, after the messages before it were posted: the invocation fails, and the
 * Lambda's retries and dead-letter queue keep the message (see docs/events.md).
 * Layer: notifications (pure; the poster is a port).
 */
import type { ChangeEvent } from '../core/change-event.js';
import { parseChangeEvent } from './change-event-schema.js';
import { renderSlackMessage, type SlackMessage } from './slack-message.js';

export interface SlackPoster {
  /** Resolves once Slack accepted the message; otherwise throws. */
  post(message: SlackMessage): Promise<void>;
}

export interface ForwardedEvent {
  readonly eventId: string;
  readonly type: ChangeEvent['type'];
  readonly projectId: string;
}

export async function forwardToSlack(
  messageBodies: readonly string[],
  poster: SlackPoster,
): Promise<ForwardedEvent[]> {
  const forwarded: ForwardedEvent[] = [];
  for (const body of messageBodies) {
    const event = parseChangeEvent(body);
    await poster.post(renderSlackMessage(event));
    forwarded.push({ eventId: event.id, type: event.type, projectId: event.data.projectId });
  }
  return forwarded;
}
