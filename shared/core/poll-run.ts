/**
 * Use case: one run over the watched workspaces and processes.
 * A failing workspace or process is recorded in the summary and does not stop the others; the caller
 * decides how to surface the failure (the Lambda fails the invocation so alarms see it).
 *
 * A workspace's processes are polled a few at a time over the one source the workspace opened (one
 * token, one rate-limit pause): most of a poll is waiting for Midaxo, and a change in the hundredth
 * process should not wait for the 99 before it. A process waiting out a long `Retry-After` holds one
 * of those slots only, so the others go on.
 */
import { DEFAULT_PROCESS_CONCURRENCY } from '../config/poll-defaults.js';
import { forEachBounded } from '../support/for-each-bounded.js';
import { pollProcess } from './poll-process.js';
import type { ProjectSource, RecordedRange } from './ports.js';
import { ProcessRunError } from './process-claim.js';
import { reconcileProcess } from './reconcile-process.js';
import { replayEvents } from './replay-events.js';
import type { PollDependencies, PollSettings, ProcessSummary, RunMode } from './scan-listing.js';

/**
 * `poll` reads what changed since the watermark; `reconcile` sweeps the whole listing for deletions;
 * `replay` publishes again what the event log holds for a time range.
 */
export type RunKind = 'poll' | 'reconcile' | { readonly replay: RecordedRange };

export interface RunSettings extends PollSettings {
  /** Processes of one workspace in flight at once; 1 polls them one after another. @default 8 */
  readonly processConcurrency?: number;
}

export interface WorkspacePlan {
  readonly name: string;
  readonly processIds: readonly string[];
  /** The workspace's API base URL for events' `source`, when it is not the settings' (another instance). */
  readonly sourceBase?: string;
  /** Opens the workspace's listing (credentials, token); a failure fails only this workspace. */
  readonly openSource: () => Promise<ProjectSource>;
}

export type ProcessOutcome =
  | (ProcessSummary & { readonly workspace: string; readonly error?: undefined })
  | {
      readonly workspace: string;
      readonly processId: string;
      readonly mode?: RunMode;
      readonly complete: false;
      readonly error: string;
      /** The stored watermark, still where the last complete run left it. */
      readonly watermark?: string;
    };

export interface RunSummary {
  readonly processes: ProcessOutcome[];
}

export async function pollRun(
  workspaces: readonly WorkspacePlan[],
  deps: Omit<PollDependencies, 'source'>,
  settings: RunSettings,
  kind: RunKind = 'poll',
): Promise<RunSummary> {
  const processes: ProcessOutcome[] = [];
  for (const workspace of workspaces) {
    if (typeof kind === 'object') {
      for (const processId of workspace.processIds) {
        processes.push(
          await outcomeOf(workspace.name, processId, () => replayEvents(deps, processId, kind.replay)),
        );
      }
      continue;
    }
    let source: ProjectSource;
    try {
      source = await workspace.openSource();
    } catch (error: unknown) {
      for (const processId of workspace.processIds) processes.push(failed(workspace.name, processId, error));
      continue;
    }
    const useCase = kind === 'poll' ? pollProcess : reconcileProcess;
    const workspaceSettings = { ...settings, sourceBase: workspace.sourceBase ?? settings.sourceBase };
    const outcomes: ProcessOutcome[] = [];
    // outcomeOf never throws: one process's failure is its outcome and stops no other.
    await forEachBounded(
      workspace.processIds.entries(),
      settings.processConcurrency ?? DEFAULT_PROCESS_CONCURRENCY,
      async ([index, processId]) => {
        outcomes[index] = await outcomeOf(workspace.name, processId, () =>
          useCase({ ...deps, source }, workspaceSettings, processId),
        );
      },
    );
    processes.push(...outcomes);
  }
  return { processes };
}

export function failedOutcomes(summary: RunSummary): ProcessOutcome[] {
  return summary.processes.filter((outcome) => outcome.error !== undefined);
}

async function outcomeOf(
  workspace: string,
  processId: string,
  run: () => Promise<ProcessSummary>,
): Promise<ProcessOutcome> {
  try {
    return { workspace, ...(await run()) };
  } catch (error: unknown) {
    return failed(workspace, processId, error);
  }
}

function failed(workspace: string, processId: string, error: unknown): ProcessOutcome & { complete: false } {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const watermark = error instanceof ProcessRunError ? error.watermark : undefined;
  return {
    workspace,
    processId,
    complete: false,
    error: message,
    ...(watermark === undefined ? {} : { watermark }),
  };
}
