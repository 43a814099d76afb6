/**
 * Finishes what an earlier run of a process recorded in the outbox but may not have delivered: every
 * recorded change newer than its project's remembered state is published again, exactly as recorded
 * (same id, same sequence), and its state remembered. A project announced by a run that died before
 * remembering it is thereby known, so its later deletion is announced too.
 */
import { type DeliveryDependencies, publishThenRemember } from './deliver-changes.js';
import { type QuarantineRegister, refusedProjects } from './quarantine-register.js';

/** Returns how many changes were published again. */
export async function finishDelivery(
  deps: DeliveryDependencies,
  processId: string,
  since: string,
  quarantine: QuarantineRegister,
): Promise<number> {
  let republished = 0;
  for await (const recorded of deps.store.recordedChanges(processId, { since })) {
    const ids = [...new Set(recorded.map((change) => change.state.projectId))];
    const stored = await deps.store.getProjects(processId, ids);
    const undelivered = recorded.filter(
      (change) => (stored.get(change.state.projectId)?.sequence ?? 0) < change.state.sequence,
    );
    if (undelivered.length === 0) continue;
    const refused = await publishThenRemember(deps, processId, undelivered);
    await quarantine.setAside(refusedProjects(refused));
    republished += undelivered.length - refused.length;
  }
  return republished;
}
