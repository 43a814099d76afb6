/**
 * Use case: publish again, from the event log, every event of a process first published in a time
 * range: same ids, same data, each project's events in sequence order. For a consumer that lost
 * events (an outage longer than SNS's delivery retries). It changes no state: no claim, no watermark,
 * nothing remembered; consumers that de-duplicate on `id` skip what they already had.
 */
import type { EventPublisher, RecordedRange, StateStore } from './ports.js';
import { emptySummary, type ProcessSummary } from './scan-listing.js';

export interface ReplayDependencies {
  readonly store: StateStore;
  readonly publisher: EventPublisher;
}

export async function replayEvents(
  deps: ReplayDependencies,
  processId: string,
  range: RecordedRange,
): Promise<ProcessSummary> {
  const summary = emptySummary(processId, 'replay');
  for await (const recorded of deps.store.recordedChanges(processId, range)) {
    if (recorded.length === 0) continue;
    await deps.publisher.publish(recorded.map((change) => change.event));
    summary.published += recorded.length;
    summary.pages++;
  }
  summary.complete = true;
  return summary;
}
