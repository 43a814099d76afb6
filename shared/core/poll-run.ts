/**
 * Use case: one scheduled run over every watched workspace and process.
 * A failing workspace or process is recorded in the summary and does not stop the others; the caller
 * decides how to surface the failure (the Lambda fails the invocation so alarms see it).
 */
import { pollProcess } from './poll-process.js';
import type { ProjectSource } from './ports.js';
import { reconcileProcess } from './reconcile-process.js';
import type { PollDependencies, PollSettings, ProcessSummary, RunMode } from './scan-listing.js';

/** `poll` reads what changed since the watermark; `reconcile` sweeps the whole listing for deletions. */
export type RunKind = 'poll' | 'reconcile';

const USE_CASES = { poll: pollProcess, reconcile: reconcileProcess } as const;

export interface WorkspacePlan {
  readonly name: string;
  readonly processIds: readonly string[];
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
  settings: PollSettings,
  kind: RunKind = 'poll',
): Promise<RunSummary> {
  const useCase = USE_CASES[kind];
  const processes: ProcessOutcome[] = [];
  for (const workspace of workspaces) {
    let source: ProjectSource;
    try {
      source = await workspace.openSource();
    } catch (error: unknown) {
      for (const processId of workspace.processIds) processes.push(failed(workspace.name, processId, error));
      continue;
    }
    for (const processId of workspace.processIds) {
      try {
        const summary = await useCase({ ...deps, source }, settings, processId);
        processes.push({ workspace: workspace.name, ...summary });
      } catch (error: unknown) {
        const watermark = await deps.store.getWatermark(processId).catch(() => undefined);
        processes.push({ ...failed(workspace.name, processId, error), watermark });
      }
    }
  }
  return { processes };
}

export function failedOutcomes(summary: RunSummary): ProcessOutcome[] {
  return summary.processes.filter((outcome) => outcome.error !== undefined);
}

function failed(workspace: string, processId: string, error: unknown): ProcessOutcome & { complete: false } {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { workspace, processId, complete: false, error: message };
}
