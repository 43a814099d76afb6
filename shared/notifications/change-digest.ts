/**
 * What a person needs to know about many change events at once, worked out once for every digest
 * rendering (Slack, email): how many deals were created, updated and deleted, which fields changed on
 * how many deals, and every change in time order, each summarized as a single event's rendering
 * would (`summarizeChange`). Totals are exact; how many changes a medium shows is its own choice.
 * Layer: notifications (pure).
 *
 * A deal is a project (its id within its process). The same event delivered twice (SNS and SQS
 * deliver at least once) is counted once.
 */
import { type ChangeEvent, type ChangeKind, changedFieldsOf, changeKindOf } from '../core/change-event.js';
import { type ChangeSummary, type SummaryLimits, summarizeChange } from './change-summary.js';
import { displayLine } from './display-text.js';

export interface FieldCount {
  /** A top-level field, as the `changedFields` attribute names it. */
  readonly field: string;
  /** How many deals had it changed. */
  readonly deals: number;
}

export interface ChangeDigest {
  /** Distinct events. */
  readonly changes: number;
  /** Distinct deals. */
  readonly deals: number;
  /** Deals with at least one change of each kind. */
  readonly dealsByKind: Readonly<Record<ChangeKind, number>>;
  /** Fields changed by updates, most deals first, then by name. */
  readonly fields: readonly FieldCount[];
  /** Every change, oldest first. */
  readonly entries: readonly DigestEntry[];
  /** ISO-8601 instants of the first and last change. */
  readonly from: string;
  readonly to: string;
}

export interface DigestEntry {
  /** Identifies the deal across its changes. */
  readonly dealKey: string;
  readonly summary: ChangeSummary;
}

const MAX_FIELD_NAME = 60;

/** @throws RangeError when there is no event: an empty digest is never sent. */
export function digestChanges(events: readonly ChangeEvent[], limits: SummaryLimits): ChangeDigest {
  const distinct = [...new Map(events.map((event) => [event.id, event])).values()].sort(byTime);
  const first = distinct[0];
  const last = distinct.at(-1);
  if (first === undefined || last === undefined) throw new RangeError('digestChanges: no events');
  const dealsByKind: Record<ChangeKind, Set<string>> = {
    created: new Set(),
    updated: new Set(),
    deleted: new Set(),
  };
  const dealsByField = new Map<string, Set<string>>();
  const entries = distinct.map((event) => {
    const dealKey = dealKeyOf(event);
    const kind = changeKindOf(event);
    dealsByKind[kind].add(dealKey);
    if (kind === 'updated') {
      for (const field of changedFieldsOf(event)) {
        const name = displayLine(field, MAX_FIELD_NAME);
        const deals = dealsByField.get(name) ?? new Set<string>();
        deals.add(dealKey);
        dealsByField.set(name, deals);
      }
    }
    return { dealKey, summary: summarizeChange(event, limits) };
  });
  return {
    changes: distinct.length,
    deals: new Set(entries.map((entry) => entry.dealKey)).size,
    dealsByKind: {
      created: dealsByKind.created.size,
      updated: dealsByKind.updated.size,
      deleted: dealsByKind.deleted.size,
    },
    fields: [...dealsByField]
      .map(([field, deals]) => ({ field, deals: deals.size }))
      .sort((a, b) => b.deals - a.deals || a.field.localeCompare(b.field)),
    entries,
    from: first.time,
    to: last.time,
  };
}

/** The entries grouped by deal, deals in the order of their first change, each deal's changes in time order. */
export function entriesByDeal(digest: ChangeDigest): DigestEntry[][] {
  const groups = new Map<string, DigestEntry[]>();
  for (const entry of digest.entries) {
    const group = groups.get(entry.dealKey) ?? [];
    group.push(entry);
    groups.set(entry.dealKey, group);
  }
  return [...groups.values()];
}

function dealKeyOf(event: ChangeEvent): string {
  return JSON.stringify([event.data.processId, event.data.projectId]);
}

function byTime(a: ChangeEvent, b: ChangeEvent): number {
  // A project's own events share a source, where `sequence` orders them whatever their times say.
  const sameProject = a.source === b.source;
  if (sameProject && a.sequence !== b.sequence) return a.sequence < b.sequence ? -1 : 1;
  return timeOf(a) - timeOf(b) || a.id.localeCompare(b.id);
}

function timeOf(event: ChangeEvent): number {
  const ms = Date.parse(event.time);
  return Number.isNaN(ms) ? 0 : ms;
}
