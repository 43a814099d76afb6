/**
 * Delivers changes through the outbox, in four steps:
 *  1. fit each event to the transport and to the contract's size bound (so what is recorded is exactly
 *     what is published) and record the changes (the outbox, which doubles as the event log);
 *  2. publish them;
 *  3. remember each project's new state.
 * A run that dies after step 1 leaves the next run able to publish the same events again (same ids)
 * and remember the projects; when a publish got only some events through, those are remembered before
 * the failure propagates, so only the missing ones are published again. Events the transport refuses
 * for what they are (a sender fault) cannot get through by trying again: they are handed back, for their
 * projects to be set aside, and the rest of the run goes on.
 * The steps are exported one by one for the page pipeline (page-pipeline.ts), which runs them for
 * several pages at once.
 */
import { fitEventToContract } from './fit-event.js';
import { PartialPublishError } from './partial-publish-error.js';
import type { Clock, EventPublisher, PendingChange, StateStore, StoredProject } from './ports.js';

export interface DeliveryDependencies {
  readonly store: StateStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
}

/** Opens the run's outbox before its first change is recorded; later calls cost nothing. */
export type OpenOutbox = () => Promise<void>;

/** Changes the transport refused for good; the caller sets their projects aside. */
export type RefusedChanges = readonly PendingChange[];

export interface PublishOutcome {
  readonly accepted: readonly PendingChange[];
  readonly refused: RefusedChanges;
  /** Some changes failed in a way another run may get past: thrown once the accepted ones are remembered. */
  readonly failure?: PartialPublishError;
}

export const REFUSED_REASON = 'refused by the transport as malformed (a sender fault), even after fitting';

export async function deliverChanges(
  deps: DeliveryDependencies,
  processId: string,
  changes: readonly PendingChange[],
  openOutbox: OpenOutbox,
  /** States to remember without an event (a silent baseline), written with the others. */
  silent: readonly StoredProject[] = [],
): Promise<RefusedChanges> {
  const recorded = await recordForDelivery(deps, processId, changes, openOutbox);
  return publishThenRemember(deps, processId, recorded, silent);
}

/** Step 1: returns the changes as fitted and recorded, which is how they are to be published. */
export async function recordForDelivery(
  deps: DeliveryDependencies,
  processId: string,
  changes: readonly PendingChange[],
  openOutbox: OpenOutbox,
): Promise<readonly PendingChange[]> {
  if (changes.length === 0) return changes;
  const fitForTransport = deps.publisher.fitForTransport?.bind(deps.publisher) ?? ((event) => event);
  // The transport's own limit first (SNS counts the email beside the event), then the contract's bound.
  const fitted = changes.map((change) => ({
    ...change,
    event: fitEventToContract(fitForTransport(change.event)),
  }));
  await openOutbox();
  await deps.store.recordChanges(processId, fitted, deps.clock.now());
  return fitted;
}

/** Steps 2 and 3 for recorded changes. */
export async function publishThenRemember(
  deps: DeliveryDependencies,
  processId: string,
  changes: readonly PendingChange[],
  silent: readonly StoredProject[] = [],
): Promise<RefusedChanges> {
  const outcome = await publishRecorded(deps, changes);
  await rememberPublished(deps, processId, outcome, statesToRemember(outcome, silent));
  return outcome.refused;
}

/** Step 2. A failure other than a partial publish is thrown at once: nothing is known to be accepted. */
export async function publishRecorded(
  deps: DeliveryDependencies,
  changes: readonly PendingChange[],
): Promise<PublishOutcome> {
  if (changes.length === 0) return { accepted: [], refused: [] };
  try {
    await deps.publisher.publish(changes.map((change) => change.event));
  } catch (error: unknown) {
    if (!(error instanceof PartialPublishError)) throw error;
    const failed = new Set(error.failedEventIds);
    const refusedIds = new Set(error.refusedEventIds);
    return {
      accepted: changes.filter((change) => !failed.has(change.event.id)),
      refused: changes.filter((change) => refusedIds.has(change.event.id)),
      ...(error.failedEventIds.some((id) => !refusedIds.has(id)) ? { failure: error } : {}),
    };
  }
  return { accepted: changes, refused: [] };
}

/** What step 3 stores after a publish: the silent states and those of the accepted changes. */
export function statesToRemember(outcome: PublishOutcome, silent: readonly StoredProject[]): StoredProject[] {
  return [...silent, ...outcome.accepted.map((change) => change.state)];
}

/** Step 3: stores `states` (what `statesToRemember` made of `outcome`), then throws the publish's failure, if any. */
export async function rememberPublished(
  deps: DeliveryDependencies,
  processId: string,
  outcome: PublishOutcome,
  states: readonly StoredProject[],
): Promise<void> {
  if (states.length > 0) await deps.store.putProjects(processId, states);
  if (outcome.failure !== undefined) throw outcome.failure;
}
