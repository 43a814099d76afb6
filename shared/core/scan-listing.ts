/**
 * Reads one listing to its end and turns it into change events, page by page:
 * read stored states, detect changes, deliver them (record, publish, remember).
 * Shared by the incremental poll and the reconcile sweep.
 */
import { deliverChanges, type OpenOutbox } from './deliver-changes.js';
import { detectChanges, type PollMode } from './detect-changes.js';
import { MAX_LISTING_PAGES, streamPages } from './page-stream.js';
import type {
  Clock,
  EventPublisher,
  PageRequest,
  ProcessStore,
  Project,
  ProjectSource,
  StateStore,
  TimeBudget,
} from './ports.js';
import { type QuarantineRegister, refusedProjects } from './quarantine-register.js';
import { RunOutOfTimeError } from './run-out-of-time-error.js';

export interface PollDependencies {
  readonly source: ProjectSource;
  readonly store: StateStore;
  readonly processes: ProcessStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  /** Without one, a run always goes to the end of its listing. */
  readonly budget?: TimeBudget;
  /** Names this run as the owner of the process claims it takes. */
  readonly runId?: string;
}

export interface PollSettings {
  readonly overlapSeconds: number;
  readonly ignoredFields: ReadonlySet<string>;
  /** Publish `created` for every project on a process's first run instead of recording silently. */
  readonly publishBaseline: boolean;
  /** The instance's API base URL; events' `source` is built from it. */
  readonly sourceBase: string;
  /** How long a run's claim on a process lasts: longer than any run can take. @default 900 */
  readonly leaseSeconds?: number;
  /** Time kept in hand when the budget runs low: the run checkpoints and stops. @default 30000 */
  readonly reserveMs?: number;
}

export type RunMode = PollMode | 'reconcile' | 'replay';

export interface ProcessSummary {
  readonly processId: string;
  readonly mode: RunMode;
  scanned: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  /** Events published: on a silent baseline, fewer than created; includes `recovered`. */
  published: number;
  /** Events an earlier run recorded but had not delivered, published again by this one. */
  recovered?: number;
  pages: number;
  complete: boolean;
  /** The stored watermark at the end of the run. */
  watermark?: string;
  /** The run went on from a checkpoint an earlier, interrupted run left. */
  resumed?: boolean;
  /** The run did nothing because another run of the process holds the claim. */
  skipped?: 'lease-held';
  /** Projects of the process set aside at the end of the run (see QuarantineRegister); absent when none. */
  quarantined?: number;
  /** The first projects this run set aside, with why: what the run's log line names. */
  setAside?: readonly { readonly projectId: string; readonly reason: string }[];
}

export function emptySummary(processId: string, mode: RunMode): ProcessSummary {
  return {
    processId,
    mode,
    scanned: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    published: 0,
    pages: 0,
    complete: false,
  };
}

export interface ScanOptions {
  readonly request: PageRequest;
  readonly detection: PollMode;
  readonly openOutbox: OpenOutbox;
  readonly quarantine: QuarantineRegister;
  readonly onListed?: (projectIds: readonly string[]) => void;
  /** Asked after each page: true ends the scan early, with the cursor to resume from. */
  readonly shouldStop?: () => boolean;
  /** Pages earlier, interrupted runs already read of this listing; they count against its page limit. */
  readonly pagesBefore?: number;
}

export interface ScanOutcome {
  /** The scan stopped before the end of the listing (time ran low). */
  readonly interrupted?: boolean;
  /** Where an interrupted scan resumes: the `after` cursor of the next page, if any page was done. */
  readonly resumeAfter?: string;
}

export async function scanListing(
  deps: PollDependencies,
  settings: PollSettings,
  summary: ProcessSummary,
  options: ScanOptions,
): Promise<ScanOutcome> {
  let resumeAfter = options.request.after;
  try {
    const maxPages = Math.max(1, MAX_LISTING_PAGES - (options.pagesBefore ?? 0));
    for await (const page of streamPages(deps.source, options.request, { maxPages })) {
      options.onListed?.(page.projects.map((project) => project.id));
      await processProjects(deps, settings, summary, options, page.projects);
      summary.pages++;
      if (page.endCursor === null) continue;
      resumeAfter = page.endCursor;
      if (options.shouldStop?.()) return { interrupted: true, resumeAfter };
    }
  } catch (error: unknown) {
    if (error instanceof RunOutOfTimeError) return { interrupted: true, resumeAfter };
    throw error;
  }
  return {};
}

/**
 * Retries the set-aside projects whose body was kept and that this run's listing did not return:
 * one that can be processed now leaves quarantine, its change diffed against the last remembered state.
 */
export async function retryQuarantined(
  deps: PollDependencies,
  settings: PollSettings,
  summary: ProcessSummary,
  options: ScanOptions,
  listed: ReadonlySet<string>,
): Promise<void> {
  const retry = options.quarantine.retryable().filter((entry) => !listed.has(entry.projectId));
  if (retry.length === 0) return;
  const projects = retry.flatMap(({ projectId, body }) =>
    body === undefined ? [] : [{ id: projectId, body, numericId: typeof body.id === 'number' }],
  );
  await processProjects(deps, settings, summary, options, projects);
}

async function processProjects(
  deps: PollDependencies,
  settings: PollSettings,
  summary: ProcessSummary,
  options: ScanOptions,
  projects: readonly Project[],
): Promise<void> {
  const { processId } = options.request;
  const ids = projects.map((project) => project.id);
  const stored = await deps.store.getProjects(processId, ids);
  const detected = detectChanges(projects, stored, {
    mode: options.detection,
    processId,
    publishBaseline: settings.publishBaseline,
    ignoredFields: settings.ignoredFields,
    sourceBase: settings.sourceBase,
    detectedAt: deps.clock.now(),
  });
  const refused = await deliverChanges(
    deps,
    processId,
    detected.changes,
    options.openOutbox,
    detected.silent,
  );
  const setAside = [...detected.setAside, ...refusedProjects(refused)];
  await options.quarantine.setAside(setAside);
  const aside = new Set(setAside.map((entry) => entry.project.id));
  await options.quarantine.processed(ids.filter((id) => !aside.has(id)));
  summary.scanned += projects.length;
  summary.created += detected.created;
  summary.updated += detected.updated;
  summary.unchanged += detected.unchanged;
  summary.published += detected.changes.length - refused.length;
}
