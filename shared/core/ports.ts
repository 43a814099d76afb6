/**
 * Ports: what the change-detection core needs from the outside world.
 * Layer: core. Adapters in `shared/adapters` implement these; tests pass in-memory fakes.
 */
import type { ChangeEvent } from './change-event.js';
import type { JsonObject } from './json.js';

/** One project as listed by Midaxo: its id and the whole JSON object it came as. */
export interface Project {
  readonly id: string;
  readonly body: JsonObject;
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
}

/** Lists projects one page at a time; the adapter owns page size, auth and retries. */
export interface ProjectSource {
  fetchPage(request: PageRequest): Promise<ProjectPage>;
}

/** What the store remembers of one project. `snapshot` is absent when it was too large to keep. */
export interface StoredProject {
  readonly projectId: string;
  readonly hash: string;
  readonly snapshot?: JsonObject;
}

/** ISO-8601 instant up to which every update of a process has been notified. */
export type Watermark = string;

export interface StateStore {
  getWatermark(processId: string): Promise<Watermark | undefined>;
  /** Moves the watermark forward; never backwards. */
  advanceWatermark(processId: string, watermark: Watermark): Promise<void>;
  /** Reads the stored state of the given projects; ids not stored are absent from the map. */
  getProjects(processId: string, projectIds: readonly string[]): Promise<Map<string, StoredProject>>;
  putProjects(processId: string, projects: readonly StoredProject[]): Promise<void>;
  /** Every stored project of a process, a page at a time, for the deletion sweep. */
  listProjects(processId: string): AsyncIterable<readonly StoredProject[]>;
  deleteProjects(processId: string, projectIds: readonly string[]): Promise<void>;
}

/**
 * The run lease of a process: at most one run publishes for a process at a time, even when a slow run
 * overlaps the next scheduled one or a manual invocation. It expires so a crashed run cannot hold it.
 */
export interface LeaseStore {
  /** True when `owner` now holds the lease until `expiresAt`; false when another owner holds it unexpired. */
  acquireLease(processId: string, owner: string, expiresAt: Date): Promise<boolean>;
  /** Gives the lease back, if `owner` still holds it. */
  releaseLease(processId: string, owner: string): Promise<void>;
}

/** Where an interrupted poll stopped: its pinned window and the cursor of the next page. */
export interface Checkpoint {
  readonly window: UpdateWindow;
  readonly after: string;
  readonly baseline: boolean;
}

export interface CheckpointStore {
  getCheckpoint(processId: string): Promise<Checkpoint | undefined>;
  saveCheckpoint(processId: string, checkpoint: Checkpoint): Promise<void>;
  clearCheckpoint(processId: string): Promise<void>;
}

/** How long the current invocation may still run. */
export interface TimeBudget {
  remainingMs(): number;
}

/** Publishes change events; resolves only when every event was accepted, otherwise throws. */
export interface EventPublisher {
  publish(events: readonly ChangeEvent[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}
