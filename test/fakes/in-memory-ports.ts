/** In-memory stand-ins for the core's ports, with the failure switches the unit tests need. */
import type { ChangeEvent } from '../../shared/core/change-event.js';
import type { JsonObject } from '../../shared/core/json.js';
import { PartialPublishError } from '../../shared/core/partial-publish-error.js';
import type { PollSettings } from '../../shared/core/poll-process.js';
import type {
  Checkpoint,
  Clock,
  EventPublisher,
  PageRequest,
  PendingChange,
  ProcessClaim,
  ProcessStore,
  ProjectPage,
  ProjectSource,
  QuarantinedProject,
  QuarantineEntry,
  RecordedChange,
  RecordedRange,
  RunEnd,
  StateStore,
  StoredProject,
  Watermark,
} from '../../shared/core/ports.js';

export type FakeProject = JsonObject & { id: string; updatedAt: string };

/** The poll settings the core's tests share: the Lambda's defaults. */
export const TEST_SETTINGS: PollSettings = {
  overlapSeconds: 300,
  ignoredFields: new Set(['updatedAt']),
  publishBaseline: false,
  sourceBase: 'https://api.app-eu.midaxo.com',
};

/** Lists projects ordered by id, filtered by the window like the API, `pageSize` per page. */
export class InMemoryProjectSource implements ProjectSource {
  readonly projects = new Map<string, FakeProject>();
  readonly requests: PageRequest[] = [];
  failOnRequest?: number;

  constructor(private readonly pageSize = 2) {}

  put(...projects: FakeProject[]): void {
    for (const project of projects) this.projects.set(project.id, project);
  }

  async fetchPage(request: PageRequest): Promise<ProjectPage> {
    this.requests.push(request);
    if (this.failOnRequest === this.requests.length) throw new Error('listing failed');
    const matching = [...this.projects.values()]
      .filter((project) => inWindow(project.updatedAt, request))
      .sort((a, b) => a.id.localeCompare(b.id))
      .filter((project) => request.after === undefined || project.id > request.after);
    const page = matching.slice(0, this.pageSize);
    return {
      projects: page.map((body) => ({ id: body.id, body })),
      endCursor: page.at(-1)?.id ?? null,
    };
  }
}

function inWindow(updatedAt: string, request: PageRequest): boolean {
  const at = Date.parse(updatedAt);
  const after = request.window?.updatedAfter;
  const before = request.window?.updatedBefore;
  return (after === undefined || at > Date.parse(after)) && (before === undefined || at < Date.parse(before));
}

/** State store and process store in memory: what the DynamoDB and SQLite adapters do, minus the I/O. */
export class InMemoryStateStore implements StateStore, ProcessStore {
  readonly watermarks = new Map<string, Watermark>();
  readonly leases = new Map<string, { owner: string; expiresAt: Date }>();
  readonly checkpoints = new Map<string, Checkpoint>();
  readonly outboxes = new Map<string, string>();
  readonly quarantines = new Map<string, Map<string, QuarantinedProject>>();
  readonly quarantineCounts = new Map<string, number>();
  /** Times the kept projects of quarantine entries were read (one Query and up in DynamoDB). */
  keptReads = 0;
  readonly projects = new Map<string, StoredProject>();
  readonly recorded: (RecordedChange & { processId: string })[] = [];
  readonly watermarkHistory: Watermark[] = [];
  failPutOnCall?: number;
  private putCalls = 0;

  constructor(private readonly clock: { now(): Date } = { now: () => new Date() }) {}

  async claim(processId: string, owner: string, until: Date): Promise<ProcessClaim | undefined> {
    const held = this.leases.get(processId);
    if (held && held.owner !== owner && held.expiresAt > this.clock.now()) return undefined;
    this.leases.set(processId, { owner, expiresAt: until });
    return {
      watermark: this.watermarks.get(processId),
      checkpoint: this.checkpoints.get(processId),
      outboxSince: this.outboxes.get(processId),
      quarantined: this.quarantineCounts.get(processId),
    };
  }

  async openOutbox(processId: string, _owner: string, since: string): Promise<void> {
    if (!this.outboxes.has(processId)) this.outboxes.set(processId, since);
  }

  async release(processId: string, owner: string, end: RunEnd): Promise<void> {
    if (end.watermark !== undefined) this.advanceWatermark(processId, end.watermark);
    if (end.checkpoint === null) this.checkpoints.delete(processId);
    else if (end.checkpoint !== undefined) this.checkpoints.set(processId, end.checkpoint);
    if (end.outboxDelivered) this.outboxes.delete(processId);
    if (end.quarantined !== undefined) this.quarantineCounts.set(processId, end.quarantined);
    if (this.leases.get(processId)?.owner === owner) this.leases.delete(processId);
  }

  private advanceWatermark(processId: string, watermark: Watermark): void {
    const current = this.watermarks.get(processId);
    if (current !== undefined && Date.parse(current) >= Date.parse(watermark)) return;
    this.watermarks.set(processId, watermark);
    this.watermarkHistory.push(watermark);
  }

  async getProjects(processId: string, ids: readonly string[]): Promise<Map<string, StoredProject>> {
    const found = new Map<string, StoredProject>();
    for (const id of ids) {
      const stored = this.projects.get(`${processId}/${id}`);
      if (stored !== undefined) found.set(id, stored);
    }
    return found;
  }

  async putProjects(processId: string, projects: readonly StoredProject[]): Promise<void> {
    this.putCalls++;
    if (this.failPutOnCall === this.putCalls) throw new Error('store unavailable');
    for (const project of projects) this.projects.set(`${processId}/${project.projectId}`, project);
  }

  async *listProjects(processId: string): AsyncIterable<readonly StoredProject[]> {
    const prefix = `${processId}/`;
    const all = [...this.projects].filter(([key]) => key.startsWith(prefix)).map(([, project]) => project);
    for (let start = 0; start < all.length; start += 2) yield all.slice(start, start + 2);
  }

  async recordChanges(processId: string, changes: readonly PendingChange[], recordedAt: Date): Promise<void> {
    for (const change of changes)
      this.recorded.push({ ...change, processId, recordedAt: recordedAt.toISOString() });
  }

  async quarantine(processId: string, projects: readonly QuarantinedProject[]): Promise<void> {
    const entries = this.quarantines.get(processId) ?? new Map<string, QuarantinedProject>();
    for (const project of projects) entries.set(project.projectId, project);
    this.quarantines.set(processId, entries);
  }

  async releaseFromQuarantine(processId: string, projectIds: readonly string[]): Promise<void> {
    for (const id of projectIds) this.quarantines.get(processId)?.delete(id);
  }

  async *listQuarantine(processId: string): AsyncIterable<readonly QuarantineEntry[]> {
    const entries = [...(this.quarantines.get(processId)?.values() ?? [])];
    if (entries.length > 0)
      yield entries.map(({ body, ...entry }) => ({ ...entry, kept: body !== undefined }));
  }

  async *keptInQuarantine(processId: string): AsyncIterable<readonly QuarantinedProject[]> {
    this.keptReads++;
    const kept = [...(this.quarantines.get(processId)?.values() ?? [])].filter(({ body }) => body);
    if (kept.length > 0) yield kept;
  }

  async *recordedChanges(processId: string, range: RecordedRange): AsyncIterable<readonly RecordedChange[]> {
    const until = range.until ?? '9999';
    const matching = this.recorded.filter(
      (change) =>
        change.processId === processId && change.recordedAt >= range.since && change.recordedAt < until,
    );
    for (let start = 0; start < matching.length; start += 3) yield matching.slice(start, start + 3);
  }
}

export class RecordingPublisher implements EventPublisher {
  readonly published: ChangeEvent[] = [];
  failOnCall?: number;
  /** Projects whose events are refused while the rest of the call is accepted. */
  readonly refusedSubjects = new Set<string>();
  /** Projects whose events are refused as malformed (a sender fault): resending cannot help. */
  readonly malformedSubjects = new Set<string>();
  private calls = 0;

  async publish(events: readonly ChangeEvent[]): Promise<void> {
    this.calls++;
    if (this.failOnCall === this.calls) throw new Error('topic unavailable');
    const isRefused = (event: ChangeEvent) =>
      this.refusedSubjects.has(event.subject) || this.malformedSubjects.has(event.subject);
    const refused = events.filter(isRefused);
    this.published.push(...events.filter((event) => !isRefused(event)));
    if (refused.length > 0) {
      throw new PartialPublishError(
        'some events refused',
        refused.map((event) => event.id),
        undefined,
        refused.filter((event) => this.malformedSubjects.has(event.subject)).map((event) => event.id),
      );
    }
  }
}

export class ManualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(seconds: number): Date {
    this.current = new Date(this.current.getTime() + seconds * 1000);
    return this.now();
  }
}

/** When every core test's clock starts. */
export const TEST_START = new Date('2026-11-27T12:00:00.000Z');

/** The ports one process is polled with in a core test: projects listed `pageSize` a page, a manual clock. */
export function fakePorts(pageSize = 2) {
  const clock = new ManualClock(TEST_START);
  return {
    clock,
    source: new InMemoryProjectSource(pageSize),
    store: new InMemoryStateStore(clock),
    publisher: new RecordingPublisher(),
  };
}
