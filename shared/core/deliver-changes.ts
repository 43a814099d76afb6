/**
 * Delivers a page's changes through the outbox:
 *  1. fit each event to the transport (so what is recorded is exactly what is published);
 *  2. record the changes (the outbox, which doubles as the event log);
 *  3. publish them;
 *  4. remember each project's new state.
 * A run that dies after step 2 leaves the next run able to publish the same events again (same ids)
 * and remember the projects; when a publish got only some events through, those are remembered before
 * the failure propagates, so only the missing ones are published again. Events the transport refuses
 * for what they are (a sender fault) cannot get through by trying again: they are handed back, for their
 * projects to be set aside, and the rest of the run goes on.
 */
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

export const REFUSED_REASON = 'refused by the transport as malformed (a sender fault), even after fitting';

export async function deliverChanges(
  deps: DeliveryDependencies,
  processId: string,
  changes: readonly PendingChange[],
  openOutbox: OpenOutbox,
  /** States to remember without an event (a silent baseline), written with the others. */
  silent: readonly StoredProject[] = [],
): Promise<RefusedChanges> {
  if (changes.length === 0) {
    if (silent.length > 0) await deps.store.putProjects(processId, silent);
    return [];
  }
  const fitForTransport = deps.publisher.fitForTransport?.bind(deps.publisher);
  const fitted = fitForTransport
    ? changes.map((change) => ({ ...change, event: fitForTransport(change.event) }))
    : changes;
  await openOutbox();
  await deps.store.recordChanges(processId, fitted, deps.clock.now());
  return publishThenRemember(deps, processId, fitted, silent);
}

/** Publishes recorded changes, then remembers the states of those that were accepted. */
export async function publishThenRemember(
  deps: DeliveryDependencies,
  processId: string,
  changes: readonly PendingChange[],
  silent: readonly StoredProject[] = [],
): Promise<RefusedChanges> {
  try {
    await deps.publisher.publish(changes.map((change) => change.event));
  } catch (error: unknown) {
    if (!(error instanceof PartialPublishError)) throw error;
    const failed = new Set(error.failedEventIds);
    const refusedIds = new Set(error.refusedEventIds);
    await remember(
      deps,
      processId,
      changes.filter((change) => !failed.has(change.event.id)),
      silent,
    );
    if (error.failedEventIds.some((id) => !refusedIds.has(id))) throw error;
    return changes.filter((change) => refusedIds.has(change.event.id));
  }
  await remember(deps, processId, changes, silent);
  return [];
}

async function remember(
  deps: DeliveryDependencies,
  processId: string,
  changes: readonly PendingChange[],
  silent: readonly StoredProject[],
): Promise<void> {
  const states = [...silent, ...changes.map((change) => change.state)];
  if (states.length > 0) await deps.store.putProjects(processId, states);
}
