/**
 * Use case: publish again, from the event log, every event of a process first published in a time
 * range: same ids, same data, each project's events in sequence order. For a consumer that lost
 * events (an outage longer than SNS's delivery retries). It changes no state: no claim, no watermark,
 * nothing remembered; consumers that de-duplicate on `id` skip what they already had.
 *
 * A replay keeps the run's time budget: when it runs out, the batch in flight is stopped (the budget's
 * signal), none is started, and the summary says `resumeFrom`, the recorded time of the last event
 * sent. A replay with that `since` goes on from there with no gap; only events recorded at that very
 * instant (one page of a run at most) are sent once more. A replay that fails names the same point.
 */
import type { EventPublisher, RecordedRange, StateStore, TimeBudget } from './ports.js';
import { emptySummary, type ProcessSummary } from './scan-listing.js';

export interface ReplayDependencies {
  readonly store: StateStore;
  readonly publisher: EventPublisher;
  readonly budget?: TimeBudget;
}

/** Events per publish: how far apart the points are that a replay can stop and resume at. */
const REPLAY_BATCH = 100;

/** A replay failed part of the way; the message says where another one goes on. */
export class ReplayError extends Error {
  override readonly name: string;

  constructor(
    failure: unknown,
    readonly resumeFrom: string,
  ) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    super(`${reason}; replay again with since ${resumeFrom} to go on from where this one stopped`, {
      cause: failure,
    });
    this.name = failure instanceof Error ? failure.name : 'Error';
  }
}

export async function replayEvents(
  deps: ReplayDependencies,
  processId: string,
  range: RecordedRange,
): Promise<ProcessSummary> {
  const summary = emptySummary(processId, 'replay');
  const { budget } = deps;
  const timeIsUp = () =>
    budget !== undefined && (budget.signal?.aborted === true || budget.remainingMs() <= 0);
  let sentUpTo: string | undefined;
  const resumeFrom = () => sentUpTo ?? range.since;
  try {
    for await (const recorded of deps.store.recordedChanges(processId, range, { signal: budget?.signal })) {
      for (let start = 0; start < recorded.length; start += REPLAY_BATCH) {
        if (timeIsUp()) return { ...summary, resumeFrom: resumeFrom() };
        const batch = recorded.slice(start, start + REPLAY_BATCH);
        await deps.publisher.publish(
          batch.map((change) => change.event),
          { signal: budget?.signal },
        );
        summary.published += batch.length;
        sentUpTo = batch.at(-1)?.recordedAt;
      }
      summary.pages++;
    }
  } catch (error: unknown) {
    if (timeIsUp()) return { ...summary, resumeFrom: resumeFrom() };
    throw new ReplayError(error, resumeFrom());
  }
  summary.complete = true;
  return summary;
}
