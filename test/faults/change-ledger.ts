/**
 * What the fault-injection suite changed in the sandbox, and the judgement of what SNS accepted against it:
 * every change notified at least once (in its final state), no untouched project ever notified, and
 * duplicates only where a run failed after publishing.
 */

import type { SandboxProject } from '../../sandbox/midaxo-sandbox.js';
import { changeKindOf } from '../../shared/core/change-event.js';
import type { JsonObject } from '../../shared/core/json.js';
import type { AcceptedEvent } from './failing-sns.js';

export interface LedgerVerdict {
  /** Existing projects that were created or edited but whose final state no accepted event carries. */
  readonly finalStateNeverNotified: string[];
  /** Deleted projects subscribers had been told about (baseline or an event) without a `deleted` event. */
  readonly deletionNeverNotified: string[];
  /** Projects never touched that were notified anyway. */
  readonly untouchedButNotified: string[];
  /** Projects of the baseline announced as `created`. */
  readonly baselineAnnouncedAsCreated: string[];
}

export class ChangeLedger {
  private readonly baseline: ReadonlySet<string>;
  private readonly touched = new Set<string>();
  private readonly deleted = new Set<string>();
  private counts = { edits: 0, creates: 0, deletes: 0 };

  constructor(initial: readonly SandboxProject[]) {
    this.baseline = new Set(initial.map((project) => project.id));
  }

  get made(): { readonly edits: number; readonly creates: number; readonly deletes: number } {
    return this.counts;
  }

  edited(projectId: string): void {
    this.touched.add(projectId);
    this.counts = { ...this.counts, edits: this.counts.edits + 1 };
  }

  created(projectId: string): void {
    this.touched.add(projectId);
    this.deleted.delete(projectId);
    this.counts = { ...this.counts, creates: this.counts.creates + 1 };
  }

  removed(projectId: string): void {
    this.deleted.add(projectId);
    this.counts = { ...this.counts, deletes: this.counts.deletes + 1 };
  }

  judge(finalProjects: readonly SandboxProject[], accepted: readonly AcceptedEvent[]): LedgerVerdict {
    const existing = new Map(finalProjects.map((project) => [project.id, project]));
    const events = accepted.map((delivery) => delivery.event);
    const announced = (id: string) => events.filter((event) => event.subject === id);

    const finalStateNeverNotified = [...this.touched]
      .filter((id) => existing.has(id))
      .filter(
        (id) =>
          !announced(id).some(
            (event) =>
              changeKindOf(event) !== 'deleted' &&
              sameJson(event.data.project, existing.get(id) as JsonObject),
          ),
      );
    const deletionNeverNotified = [...this.deleted]
      .filter((id) => !existing.has(id))
      .filter((id) => this.baseline.has(id) || announced(id).length > 0)
      .filter((id) => !announced(id).some((event) => changeKindOf(event) === 'deleted'));
    const untouchedButNotified = [...this.baseline].filter(
      (id) => !this.touched.has(id) && !this.deleted.has(id) && announced(id).length > 0,
    );
    const baselineAnnouncedAsCreated = [...this.baseline].filter((id) =>
      announced(id).some((event) => changeKindOf(event) === 'created'),
    );
    return {
      finalStateNeverNotified,
      deletionNeverNotified,
      untouchedButNotified,
      baselineAnnouncedAsCreated,
    };
  }
}

export interface DuplicateAudit {
  /** Acceptances beyond the first of the same event id. */
  readonly duplicates: number;
  /** Event ids accepted again although the earlier acceptance was in a run that succeeded. */
  readonly unexplained: { readonly eventId: string; readonly runs: number[] }[];
  /** Runs that failed after SNS had accepted at least one of their events. */
  readonly runsFailedAfterPublishing: number;
  /** Events SNS accepted during failed runs: the most a retry of those runs can duplicate. */
  readonly acceptedInFailedRuns: number;
}

/**
 * A duplicate is explained when every earlier acceptance of the same id happened in a failed run: the
 * failure kept the run from saving what it had published, so the next run published it again.
 */
export function auditDuplicates(
  accepted: readonly AcceptedEvent[],
  failedRuns: ReadonlySet<number>,
): DuplicateAudit {
  const runsById = new Map<string, number[]>();
  for (const { event, run } of accepted) runsById.set(event.id, [...(runsById.get(event.id) ?? []), run]);
  let duplicates = 0;
  const unexplained: { eventId: string; runs: number[] }[] = [];
  for (const [eventId, runs] of runsById) {
    duplicates += runs.length - 1;
    if (runs.slice(0, -1).some((run) => !failedRuns.has(run))) unexplained.push({ eventId, runs });
  }
  const inFailedRuns = accepted.filter((delivery) => failedRuns.has(delivery.run));
  return {
    duplicates,
    unexplained,
    runsFailedAfterPublishing: new Set(inFailedRuns.map((delivery) => delivery.run)).size,
    acceptedInFailedRuns: inFailedRuns.length,
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, sortKeys(inner)]),
  );
}
