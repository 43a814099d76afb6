/**
 * Use case: the deletion sweep of one process. The API has no deletion feed, so a project is known
 * to be gone only when a complete listing no longer contains it.
 *  1. list every project (no update filter), publishing any change seen on the way as a poll would;
 *  2. list again what was updated since the sweep began (less the overlap): if the API orders by update
 *     time, a project edited mid-sweep may have moved behind the cursor, and must not be taken for deleted;
 *  3. only then, for each stored project that neither listing returned: publish `deleted` with its last
 *     snapshot, then forget it.
 * If any listing fails, the sweep fails before step 3: no deletion is ever inferred from a partial listing.
 * The sweep runs under the process's lease; it is not checkpointed (the listed ids live in memory), so
 * when the invocation's time runs low it stops before step 3 and returns `complete: false`.
 */
import { buildChangeEvent } from './build-change-event.js';
import type { ChangeEvent } from './change-event.js';
import type { StoredProject } from './ports.js';
import { budgetRunningLow, underProcessLease } from './process-lease.js';
import { publishThenRecord } from './publish-then-record.js';
import {
  emptySummary,
  type PollDependencies,
  type PollSettings,
  type ProcessSummary,
  scanListing,
} from './scan-listing.js';
import { overlapStart } from './update-window.js';

export function reconcileProcess(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
): Promise<ProcessSummary> {
  return underProcessLease(deps, settings, processId, 'reconcile', () => sweep(deps, settings, processId));
}

async function sweep(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
): Promise<ProcessSummary> {
  const sweepStart = deps.clock.now();
  const watermark = await deps.store.getWatermark(processId);
  const detection = watermark === undefined ? 'baseline' : 'incremental';
  const summary = emptySummary(processId, 'reconcile');
  const listed = new Set<string>();
  const remember = (ids: readonly string[]) => {
    for (const id of ids) listed.add(id);
  };

  const shouldStop = budgetRunningLow(deps, settings);
  const full = await scanListing(deps, settings, summary, {
    request: { processId },
    detection,
    onListed: remember,
    shouldStop,
  });
  if (full.interrupted) return summary;
  const recentlyUpdated = { updatedAfter: overlapStart(sweepStart, settings.overlapSeconds) };
  const recheck = await scanListing(deps, settings, summary, {
    request: { processId, window: recentlyUpdated },
    detection,
    onListed: remember,
  });
  if (recheck.interrupted) return summary;

  for await (const stored of deps.store.listProjects(processId)) {
    const gone = stored.filter((project) => !listed.has(project.projectId));
    if (gone.length === 0) continue;
    const events = gone.map((project) => deletedEvent(deps, settings, processId, project));
    await publishThenRecord(deps.publisher, events, async (delivered) => {
      const forgotten = gone.filter((project) => delivered(project.projectId));
      if (forgotten.length > 0)
        await deps.store.deleteProjects(
          processId,
          forgotten.map((p) => p.projectId),
        );
    });
    summary.deleted += gone.length;
    summary.published += gone.length;
  }
  summary.complete = true;
  summary.watermark = watermark;
  return summary;
}

function deletedEvent(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
  project: StoredProject,
): ChangeEvent {
  return buildChangeEvent({
    kind: 'deleted',
    sourceBase: settings.sourceBase,
    processId,
    projectId: project.projectId,
    hash: project.hash,
    changes: [],
    project: project.snapshot ?? null,
    detectedAt: deps.clock.now(),
  });
}
