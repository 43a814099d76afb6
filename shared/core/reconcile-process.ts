/**
 * Use case: the deletion sweep of one process. The API has no deletion feed, so a project is known
 * to be gone only when a complete listing no longer contains it.
 *  1. list every project (no update filter), publishing any change seen on the way as a poll would;
 *  2. list again what was updated since the sweep began (less the overlap): if the API orders by update
 *     time, a project edited mid-sweep may have moved behind the cursor, and must not be taken for deleted;
 *  3. only then, for each remembered project that neither listing returned: publish `deleted` with its
 *     last snapshot, and remember it as deleted (its sequence goes on if the id ever comes back) —
 *     unless there are too many of them to believe (deletion-guard.ts): then none is published, the
 *     summary says how many are held, and they stay as they are stored until a sweep with
 *     `confirmDeletions` publishes them, or a later sweep lists them again and they leave silently.
 * If any listing fails, the sweep fails before step 3: no deletion is ever inferred from a partial listing.
 * The sweep runs under the process's claim; it is not checkpointed (the listed ids' digests live in
 * memory), so when the invocation's time runs low in either listing it stops before step 3 and returns
 * `complete: false`.
 */
import { buildChangeEvent } from './build-change-event.js';
import { DEFAULT_DELETION_GUARD, holdsDeletions } from './deletion-guard.js';
import { deliverChanges } from './deliver-changes.js';
import { IdDigestSet } from './id-digests.js';
import type { PendingChange, StateStore, StoredProject } from './ports.js';
import { budgetRunningLow, type ClaimedRun, underProcessClaim, type WorkOutcome } from './process-claim.js';
import { refusedProjects } from './quarantine-register.js';
import { emptySummary, type PollDependencies, type PollSettings, scanListing } from './scan-listing.js';
import { overlapStart } from './update-window.js';

export function reconcileProcess(deps: PollDependencies, settings: PollSettings, processId: string) {
  return underProcessClaim(deps, settings, processId, 'reconcile', (run) =>
    sweep(deps, settings, processId, run),
  );
}

async function sweep(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
  { claim, openOutbox, quarantine }: ClaimedRun,
): Promise<WorkOutcome> {
  const sweepStart = deps.clock.now();
  const detection = claim.watermark === undefined ? 'baseline' : 'incremental';
  const summary = emptySummary(processId, 'reconcile');
  summary.watermark = claim.watermark;
  // Digests, not ids: a listing of long ids would otherwise hold them all until its end.
  const listed = new IdDigestSet();
  const shouldStop = budgetRunningLow(deps, settings);
  const listings = [
    { processId },
    { processId, window: { updatedAfter: overlapStart(sweepStart, settings.overlapSeconds) } },
  ];
  for (const request of listings) {
    const scan = await scanListing(deps, settings, summary, {
      request,
      detection,
      openOutbox,
      quarantine,
      onListed: (ids) => listed.addAll(ids),
      shouldStop,
    });
    if (scan.interrupted) return { summary, end: {} };
  }

  const isGone = (project: StoredProject) => project.deleted !== true && !listed.has(project.projectId);
  const { gone, known } = await countGone(deps.store, processId, isGone);
  const guard = settings.deletionGuard ?? DEFAULT_DELETION_GUARD;
  summary.complete = true;
  if (gone === 0) return { summary, end: {} };
  if (settings.confirmDeletions !== true && holdsDeletions(guard, { gone, known, listed: summary.scanned })) {
    summary.deletionsHeld = gone;
    return { summary, end: {} };
  }
  for await (const stored of deps.store.listProjects(processId)) {
    const goneHere = stored.filter(isGone);
    if (goneHere.length === 0) continue;
    const changes = goneHere.map((project) => deletion(deps, settings, processId, project));
    const refused = await deliverChanges(deps, processId, changes, openOutbox);
    await quarantine.setAside(refusedProjects(refused));
    summary.deleted += goneHere.length - refused.length;
    summary.published += goneHere.length - refused.length;
  }
  return { summary, end: {} };
}

/** How many stored projects are known (not deleted) and how many of them are gone: one pass, nothing kept. */
async function countGone(
  store: StateStore,
  processId: string,
  isGone: (project: StoredProject) => boolean,
): Promise<{ gone: number; known: number }> {
  let gone = 0;
  let known = 0;
  for await (const stored of store.listProjects(processId)) {
    for (const project of stored) {
      if (project.deleted === true) continue;
      known++;
      if (isGone(project)) gone++;
    }
  }
  return { gone, known };
}

function deletion(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
  project: StoredProject,
): PendingChange {
  const sequence = project.sequence + 1;
  const event = buildChangeEvent({
    kind: 'deleted',
    sourceBase: settings.sourceBase,
    processId,
    projectId: project.projectId,
    sequence,
    hash: project.hash,
    changes: [],
    project: project.snapshot ?? null,
    detectedAt: deps.clock.now(),
  });
  return { event, state: { projectId: project.projectId, hash: project.hash, sequence, deleted: true } };
}
