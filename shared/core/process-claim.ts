/**
 * Runs one process's work under its claim, so overlapping invocations (a slow run meeting the next
 * schedule, a manual run) never work on the same process at once: the later one returns at once,
 * saying the claim is held. Before the work, whatever an earlier run left undelivered in the outbox is
 * delivered; after it, one release moves the watermark, sets or clears the checkpoint and closes the
 * outbox, all as the work says.
 */
import type { OpenOutbox } from './deliver-changes.js';
import { finishDelivery } from './finish-delivery.js';
import type { ProcessClaim, RunEnd } from './ports.js';
import { openQuarantine, type QuarantineRegister } from './quarantine-register.js';
import {
  emptySummary,
  type PollDependencies,
  type PollSettings,
  type ProcessSummary,
  type RunMode,
} from './scan-listing.js';

const DEFAULT_LEASE_SECONDS = 900;

export interface ClaimedRun {
  readonly claim: ProcessClaim;
  readonly openOutbox: OpenOutbox;
  readonly quarantine: QuarantineRegister;
}

export interface WorkOutcome {
  readonly summary: ProcessSummary;
  readonly end: Omit<RunEnd, 'outboxDelivered'>;
}

/** A failed process run; carries the watermark the claim saw, so the failure still reports how far behind it is. */
export class ProcessRunError extends Error {
  override readonly name: string;

  constructor(
    failure: unknown,
    readonly watermark: string | undefined,
  ) {
    super(failure instanceof Error ? failure.message : String(failure), { cause: failure });
    // Reported under the failure's own name: the wrapper only carries the watermark along.
    this.name = failure instanceof Error ? failure.name : 'Error';
  }
}

export async function underProcessClaim(
  deps: PollDependencies,
  settings: PollSettings,
  processId: string,
  mode: RunMode,
  work: (run: ClaimedRun) => Promise<WorkOutcome>,
): Promise<ProcessSummary> {
  const owner = deps.runId ?? 'run';
  const runStart = deps.clock.now();
  const until = new Date(runStart.getTime() + (settings.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000);
  const claim = await deps.processes.claim(processId, owner, until);
  if (claim === undefined) return { ...emptySummary(processId, mode), skipped: 'lease-held' };

  // One request at most, however many pages ask for it at once.
  let opened: Promise<void> | undefined = claim.outboxSince === undefined ? undefined : Promise.resolve();
  const openOutbox: OpenOutbox = () => {
    opened ??= deps.processes.openOutbox(processId, owner, runStart.toISOString());
    return opened;
  };
  let outcome: WorkOutcome;
  let quarantine: QuarantineRegister | undefined;
  try {
    quarantine = await openQuarantine(deps.store, processId, deps.clock, claim.quarantined);
    const recovered =
      claim.outboxSince === undefined
        ? 0
        : await finishDelivery(deps, processId, claim.outboxSince, quarantine);
    outcome = await work({ claim, openOutbox, quarantine });
    if (recovered > 0) {
      outcome.summary.recovered = recovered;
      outcome.summary.published += recovered;
    }
    if (quarantine.count > 0) outcome.summary.quarantined = quarantine.count;
    if (quarantine.newlySetAside.length > 0) outcome.summary.setAside = quarantine.newlySetAside;
  } catch (error: unknown) {
    // What the run recorded may be undelivered: the outbox stays open for the next run.
    const end = { outboxDelivered: false, ...quarantinedOf(quarantine) };
    await deps.processes.release(processId, owner, end).catch(() => undefined);
    throw new ProcessRunError(error, claim.watermark);
  }
  await deps.processes.release(processId, owner, {
    ...outcome.end,
    outboxDelivered: true,
    ...quarantinedOf(quarantine),
  });
  return outcome.summary;
}

function quarantinedOf(quarantine: QuarantineRegister | undefined): { quarantined?: number } {
  return quarantine === undefined ? {} : { quarantined: quarantine.count };
}

/** True once the invocation has less than the reserve left: time to save a checkpoint and stop. */
export function budgetRunningLow(deps: PollDependencies, settings: PollSettings): () => boolean {
  const reserveMs = settings.reserveMs ?? 30_000;
  return () => deps.budget !== undefined && deps.budget.remainingMs() < reserveMs;
}
