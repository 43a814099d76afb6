/**
 * Runs one process's work under its lease, so overlapping invocations (a slow run meeting the next
 * schedule, a manual run) never publish for the same process at once: the later one returns at once,
 * saying the lease is held.
 */
import {
  emptySummary,
  type PollDependencies,
  type PollSettings,
  type ProcessSummary,
  type RunMode,
} from './scan-listing.js';

const DEFAULT_LEASE_SECONDS = 900;

export async function underProcessLease(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
  mode: RunMode,
  work: () => Promise<ProcessSummary>,
): Promise<ProcessSummary> {
  const { leases } = deps;
  if (leases === undefined) return work();
  const owner = deps.runId ?? 'run';
  const expiresAt = new Date(
    deps.clock.now().getTime() + (settings.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000,
  );
  if (!(await leases.acquireLease(processId, owner, expiresAt))) {
    return { ...emptySummary(processId, mode), skipped: 'lease-held' };
  }
  try {
    return await work();
  } finally {
    // A lease that could not be given back expires on its own; the run's own outcome is what matters.
    await leases.releaseLease(processId, owner).catch(() => undefined);
  }
}

/** True once the invocation has less than the reserve left: time to save a checkpoint and stop. */
export function budgetRunningLow(deps: PollDependencies, settings: PollSettings): () => boolean {
  const reserveMs = settings.reserveMs ?? 30_000;
  return () => deps.budget !== undefined && deps.budget.remainingMs() < reserveMs;
}
