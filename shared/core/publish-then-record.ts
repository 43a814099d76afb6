/**
 * Publishes events, then records what was published (saved hashes, forgotten deletions). Recording
 * after publishing makes delivery at-least-once; when a publish got only some events through, those are
 * recorded before the failure propagates, so the re-run publishes just the missing ones.
 */
import type { ChangeEvent } from './change-event.js';
import { PartialPublishError } from './partial-publish-error.js';
import type { EventPublisher } from './ports.js';

export type RecordDelivered = (delivered: (projectId: string) => boolean) => Promise<void>;

export async function publishThenRecord(
  publisher: EventPublisher,
  events: readonly ChangeEvent[],
  record: RecordDelivered,
): Promise<void> {
  try {
    if (events.length > 0) await publisher.publish(events);
  } catch (error: unknown) {
    if (error instanceof PartialPublishError) {
      const failedIds = new Set(error.failedEventIds);
      const failed = new Set(events.filter((event) => failedIds.has(event.id)).map((event) => event.subject));
      await record((projectId) => !failed.has(projectId));
    }
    throw error;
  }
  await record(() => true);
}
