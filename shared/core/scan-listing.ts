/**
 * Reads one listing to its end and turns it into change events, page by page:
 * read stored states, detect changes, deliver them (record, publish, remember).
 * Shared by the incremental poll and the reconcile sweep.
 */
import type { DeletionGuard } from './deletion-guard.js';
import type { OpenOutbox } from './deliver-changes.js';
import type { PollMode } from './detect-changes.js';
import type { IdDigestSet } from './id-digests.js';
import { type PageContext, type PageInFlight, startPage } from './page-pipeline.js';
import { MAX_LISTING_PAGES, streamPages } from './page-stream.js';
import type {
  Clock,
  EventPublisher,
  PageRequest,
  ProcessStore,
  ProjectSource,
  StateStore,
  TimeBudget,
} from './ports.js';
import type { QuarantineRegister } from './quarantine-register.js';
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
  /** When a sweep holds its deletions for confirmation. @default DEFAULT_DELETION_GUARD */
  readonly deletionGuard?: DeletionGuard;
  /** A sweep publishes the deletions it infers however many there are: an operator confirmed them. */
  readonly confirmDeletions?: boolean;
}

export type RunMode = PollMode | 'reconcile' | 'replay';

export interface ProcessSummary {
  readonly processId: string;
  readonly mode: RunMode;
  /** Projects the listing returned (set-aside projects retried from their kept body are not among them). */
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
  /**
   * Deletions a sweep inferred but held, as too many to believe without confirmation (see
   * deletion-guard.ts); absent when none were held.
   */
  deletionsHeld?: number;
  /**
   * A replay that ran out of time: the recorded time of the last event it sent (or its `since`, when
   * none); a replay with this `since` goes on from there.
   */
  resumeFrom?: string;
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

/** Pages in flight at once (see page-pipeline.ts): as many as there are stages that wait on the network. */
const MAX_PAGES_IN_FLIGHT = 4;
/**
 * Bytes of listed pages in flight at once, as received. Pages of ordinary projects (100 of a few KB)
 * go four at a time; pages of large projects go one at a time, so memory then holds what it did before
 * pages were pipelined: the page in work and the next one, requested meanwhile.
 */
const MAX_BYTES_IN_FLIGHT = 1_048_576;

/**
 * Pages go through a pipeline (page-pipeline.ts): while one page is published and its states stored,
 * the next ones are read, detected and recorded. The resume cursor moves past a page only once every
 * stage of it, and of every page before it, is done; a failure stops the listing, lets the pages in
 * flight finish or fail, and is what the scan throws.
 */
export async function scanListing(
  deps: PollDependencies,
  settings: PollSettings,
  summary: ProcessSummary,
  options: ScanOptions,
): Promise<ScanOutcome> {
  const context = pageContext(deps, settings, summary, options);
  const inFlight: ListedPageInFlight[] = [];
  let resumeAfter = options.request.after;
  let failed = false;
  const settleOldest = async () => {
    const page = inFlight[0];
    if (page === undefined) return;
    await page.done;
    inFlight.shift();
    summary.pages++;
    if (page.endCursor !== null) resumeAfter = page.endCursor;
  };
  // Stops at the first page that failed, which stays in flight.
  const settleAll = async () => {
    while (inFlight.length > 0) await settleOldest();
  };
  try {
    const maxPages = Math.max(1, MAX_LISTING_PAGES - (options.pagesBefore ?? 0));
    for await (const page of streamPages(deps.source, options.request, { maxPages })) {
      summary.scanned += page.projects.length;
      options.onListed?.(page.projects.map((project) => project.id));
      const started = startPage(context, page.projects, inFlight);
      started.done.catch(() => {
        failed = true;
      });
      inFlight.push({ ...started, endCursor: page.endCursor, bytes: page.bytes ?? 0 });
      if (page.endCursor !== null && options.shouldStop?.()) {
        await settleAll();
        return { interrupted: true, resumeAfter };
      }
      while (inFlight.length > 0 && (failed || pipelineFull(inFlight))) await settleOldest();
    }
    await settleAll();
  } catch (error: unknown) {
    // Pages in flight when the listing failed still count once done; the scan ends only when no page
    // is writing any more.
    await settleAll().catch(() => undefined);
    await Promise.all(inFlight.splice(0).map((page) => page.idle));
    if (error instanceof RunOutOfTimeError) return { interrupted: true, resumeAfter };
    throw error;
  }
  return {};
}

interface ListedPageInFlight extends PageInFlight {
  readonly endCursor: string | null;
  readonly bytes: number;
}

/** No room for another page like the last one: the next page is taken once the oldest is done. */
function pipelineFull(inFlight: readonly ListedPageInFlight[]): boolean {
  const bytes = inFlight.reduce((sum, page) => sum + page.bytes, 0);
  const next = inFlight.at(-1)?.bytes ?? 0;
  return inFlight.length >= MAX_PAGES_IN_FLIGHT || bytes + next > MAX_BYTES_IN_FLIGHT;
}

/**
 * Retries the set-aside projects whose body was kept and that this run's listing did not return:
 * one that can be processed now leaves quarantine, its change diffed against the last remembered state.
 * They are read and retried a store page at a time, so only one page of kept projects is in memory.
 */
export async function retryQuarantined(
  deps: PollDependencies,
  settings: PollSettings,
  summary: ProcessSummary,
  options: ScanOptions,
  listed: Pick<IdDigestSet, 'has'>,
): Promise<void> {
  const context = pageContext(deps, settings, summary, options);
  for await (const page of options.quarantine.retryable()) {
    const projects = page.flatMap(({ projectId, body }) =>
      body === undefined || listed.has(projectId)
        ? []
        : [{ id: projectId, body, numericId: typeof body.id === 'number' }],
    );
    if (projects.length > 0) await startPage(context, projects, []).done;
  }
}

function pageContext(
  deps: PollDependencies,
  settings: PollSettings,
  summary: ProcessSummary,
  options: ScanOptions,
): PageContext {
  return {
    deps,
    processId: options.request.processId,
    detection: {
      mode: options.detection,
      publishBaseline: settings.publishBaseline,
      ignoredFields: settings.ignoredFields,
      sourceBase: settings.sourceBase,
    },
    openOutbox: options.openOutbox,
    quarantine: options.quarantine,
    onDetected: (detected) => {
      summary.created += detected.created;
      summary.updated += detected.updated;
      summary.unchanged += detected.unchanged;
    },
    onPublished: (outcome) => {
      summary.published += outcome.accepted.length;
    },
  };
}
