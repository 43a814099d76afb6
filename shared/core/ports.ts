/**
 * Ports: what the change-detection core needs from the outside world.
 * Layer: core. Adapters in `shared/adapters` implement these; tests pass in-memory fakes.
 */
import type { ChangeEvent } from './change-event.js';
import type { JsonObject } from './json.js';

/** One project as listed by Midaxo: its id and the whole JSON object it came as. */
export interface Project {
  /** The id as text (a numeric id in decimal). */
  readonly id: string;
  readonly body: JsonObject;
  /** The API sent the id as a number; `1` and `"1"` are then told apart instead of merged. */
  readonly numericId?: boolean;
  /** Why the listing could not use this item (e.g. no usable id); the core sets it aside. */
  readonly problem?: string;
}

/** An update-time window; ISO-8601 instants, both exclusive as the API filters them. */
export interface UpdateWindow {
  readonly updatedAfter?: string;
  readonly updatedBefore?: string;
}

export interface PageRequest {
  readonly processId: string;
  readonly window?: UpdateWindow;
  /** Cursor from the previous page's `paging.endCursor`; absent for the first page. */
  readonly after?: string;
}

export interface ProjectPage {
  readonly projects: readonly Project[];
  /** `paging.endCursor`; null when the API gave none. */
  readonly endCursor: string | null;
  /** The page's size as received, in bytes: how many pages may be in flight at once depends on it. */
  readonly bytes?: number;
}

/** Lists projects one page at a time; the adapter owns page size, auth and retries. */
export interface ProjectSource {
  fetchPage(request: PageRequest): Promise<ProjectPage>;
}

/**
 * What the store remembers of one project. `snapshot` is absent when it was too large to keep.
 * A deleted project is remembered too (without snapshot), so its `sequence` goes on if the id returns.
 */
export interface StoredProject {
  readonly projectId: string;
  readonly hash: string;
  readonly snapshot?: JsonObject;
  /** Sequence of the project's last published event; 0 before its first. */
  readonly sequence: number;
  /** The project's `deleted` event was published. */
  readonly deleted?: boolean;
  /** Its id came as a number (false: as text; absent: not known, stored before kinds were kept). */
  readonly numericId?: boolean;
}

/** A project set aside because it cannot be processed; every other project goes on without it. */
export interface QuarantinedProject {
  readonly projectId: string;
  /** Short, fixed wording of what is wrong, e.g. "nested deeper than 64 levels". */
  readonly reason: string;
  /** ISO-8601 instant it was first set aside. */
  readonly since: string;
  /** The project as listed, kept (when small enough) so later runs retry it without Midaxo listing it again. */
  readonly body?: JsonObject;
}

/** A quarantine entry without the project it may keep: what a run reads of every entry at its start. */
export interface QuarantineEntry extends Omit<QuarantinedProject, 'body'> {
  /**
   * Whether the entry holds its project, so a run knows whether there is anything to retry without reading
   * the kept projects; absent when the store cannot tell (an entry written before entries said so).
   */
  readonly kept?: boolean;
}

/** A change about to be published, and the state to remember once it was. */
export interface PendingChange {
  readonly event: ChangeEvent;
  readonly state: StoredProject;
}

/** A change as the outbox (the event log) recorded it before its first publish. */
export interface RecordedChange extends PendingChange {
  /** ISO-8601 instant it was recorded: about when it was first published. */
  readonly recordedAt: string;
}

/** Instants bounding a read of the event log: `since` inclusive, `until` exclusive (default: now). */
export interface RecordedRange {
  readonly since: string;
  readonly until?: string;
}

/** ISO-8601 instant up to which every update of a process has been notified. */
export type Watermark = string;

export interface StateStore {
  /** Reads the stored state of the given projects; ids not stored are absent from the map. */
  getProjects(processId: string, projectIds: readonly string[]): Promise<Map<string, StoredProject>>;
  putProjects(processId: string, projects: readonly StoredProject[]): Promise<void>;
  /** Every stored project of a process (deleted ones included), a page at a time. */
  listProjects(processId: string): AsyncIterable<readonly StoredProject[]>;
  /**
   * The outbox: records changes before they are published, so a run that dies after publishing can be
   * finished by the next one with the same events. Kept for a retention period as the event log.
   */
  recordChanges(processId: string, changes: readonly PendingChange[], recordedAt: Date): Promise<void>;
  /** Recorded changes in `range`, oldest first (a project's changes in sequence order), a page at a time. */
  recordedChanges(
    processId: string,
    range: RecordedRange,
    options?: AbortOptions,
  ): AsyncIterable<readonly RecordedChange[]>;
  /** Sets projects aside (or updates their entry); `release` takes them out again. */
  quarantine(processId: string, projects: readonly QuarantinedProject[]): Promise<void>;
  releaseFromQuarantine(processId: string, projectIds: readonly string[]): Promise<void>;
  /**
   * Every project of the process set aside now, a page at a time, without the projects kept: a run
   * reads these at its start, and what it holds of them must not grow with the projects' size.
   */
  listQuarantine(processId: string): AsyncIterable<readonly QuarantineEntry[]>;
  /** The entries that kept their project, with it, a page at a time: read only to retry them. */
  keptInQuarantine(processId: string): AsyncIterable<readonly QuarantinedProject[]>;
}

/** Where an interrupted poll stopped: its pinned window and the cursor of the next page. */
export interface Checkpoint {
  readonly window: UpdateWindow;
  readonly after: string;
  readonly baseline: boolean;
  /** Pages the interrupted runs of this window read so far: the listing's page limit spans them all. */
  readonly pagesRead?: number;
}

/** What a run learns when it claims a process. */
export interface ProcessClaim {
  readonly watermark?: Watermark;
  readonly checkpoint?: Checkpoint;
  /** Set while the outbox may hold changes that were recorded at or after it but not yet delivered. */
  readonly outboxSince?: string;
  /** How many projects of the process are set aside; absent or 0 when none (no need to look). */
  readonly quarantined?: number;
}

/** How a run leaves its process. */
export interface RunEnd {
  /** Move the watermark here; it only ever moves forward. */
  readonly watermark?: Watermark;
  /** `null` clears the checkpoint; absent leaves it as it is. */
  readonly checkpoint?: Checkpoint | null;
  /** Every change recorded in the outbox was published and recorded: close it. */
  readonly outboxDelivered: boolean;
  /** How many projects are set aside now, when the run knows. */
  readonly quarantined?: number;
}

/**
 * The per-process run record: the claim (a lease, so at most one run works on a process at a time, even
 * when a slow run meets the next schedule; it expires so a crashed run cannot hold it), the watermark,
 * the checkpoint of an interrupted run and whether the outbox is open.
 */
export interface ProcessStore {
  /** Claims the process for `owner` until `until`; undefined while another owner's claim is unexpired. */
  claim(processId: string, owner: string, until: Date): Promise<ProcessClaim | undefined>;
  /** Notes, before a run records its first change, that the outbox holds changes from `since` on. */
  openOutbox(processId: string, owner: string, since: string): Promise<void>;
  /** Ends the run and gives the claim back. */
  release(processId: string, owner: string, end: RunEnd): Promise<void>;
}

/** How long the current invocation may still run. */
export interface TimeBudget {
  remainingMs(): number;
  /** Aborts once the time is up or the invocation ended: work in flight stops, none starts. */
  readonly signal?: AbortSignal;
}

/** For work a deadline may cut short. */
export interface AbortOptions {
  /** Once it aborts, requests in flight stop and none is retried or started: the call fails. */
  readonly signal?: AbortSignal;
}

/** Publishes change events; resolves only when every event was accepted, otherwise throws. */
export interface EventPublisher {
  /**
   * The event as this transport will carry it, shrunk to the transport's size limit (see fitEvent);
   * called once before an event is recorded, so the recorded event is exactly the one published.
   * Absent: events go as they are.
   */
  fitForTransport?(event: ChangeEvent): ChangeEvent;
  publish(events: readonly ChangeEvent[], options?: AbortOptions): Promise<void>;
}

export interface Clock {
  now(): Date;
}
