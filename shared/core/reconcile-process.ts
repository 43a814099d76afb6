/**
 * Use case: the deletion sweep of one process. The API has no deletion feed, so a project is known
 * to be gone only when a complete listing no longer contains it.
 *  1. list every project (no update filter), publishing any change seen on the way as a poll would;
 *  2. list again what was updated since the sweep began (less the overlap): if the API orders by update
 *     time, a project edited mid-sweep may have moved behind the cursor, and must not be taken for deleted;
 *  3. only then, for each remembered project that neither listing returned: publish `deleted` with its
 *     last snapshot, and remember it as deleted (its sequence goes on if the id ever comes back).
 * If any listing fails, the sweep fails before step 3: no deletion is ever inferred from a partial listing.
 * The sweep runs under the process's claim; it is not checkpointed (the listed ids live in memory), so
 * when the invocation's time runs low in either listing it stops before step 3 and returns `complete: false`.
 */
import { buildChangeEvent } from './build-change-event.js';
import { deliverChanges } from './deliver-changes.js';
import type { PendingChange, StoredProject } from './ports.js';
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
  const listed = new Set<string>();
  const remember = (ids: readonly string[]) => {
    for (const id of ids) listed.add(id);
  };
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
      onListed: remember,
      shouldStop,
    });
    if (scan.interrupted) return { summary, end: {} };
  }

  for await (const stored of deps.store.listProjects(processId)) {
    const gone = stored.filter((project) => project.deleted !== true && !listed.has(project.projectId));
    if (gone.length === 0) continue;
    const changes = gone.map((project) => deletion(deps, settings, processId, project));
    const refused = await deliverChanges(deps, processId, changes, openOutbox);
    await quarantine.setAside(refusedProjects(refused));
    summary.deleted += gone.length - refused.length;
    summary.published += gone.length - refused.length;
  }
  summary.complete = true;
  return { summary, end: {} };
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
