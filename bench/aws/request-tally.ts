/**
 * Counts and times the requests AWS SDK clients send, per service and operation ("DynamoDB.BatchGetItem"),
 * as attempts on the wire: a retried call counts twice, as it costs twice. Times include the modelled
 * latency, so what a request took beyond it is the local service's own time.
 */
import type { MiddlewareClient } from './middleware-client.js';

export type RequestCounts = Readonly<Record<string, number>>;

export interface OperationTiming {
  readonly count: number;
  /** Mean time from sending to the answer, modelled latency included. */
  readonly meanMs: number;
}

export interface RequestTally {
  attach(client: MiddlewareClient, service: string): void;
  counts(): RequestCounts;
  timings(): Readonly<Record<string, OperationTiming>>;
  /** Time during which at least one request of `service` was in flight. */
  busyMs(service: string): number;
  reset(): void;
}

interface RequestRecord {
  readonly key: string;
  readonly service: string;
  readonly startMs: number;
  readonly endMs: number;
}

export const REQUEST_TALLY_MIDDLEWARE = 'benchRequestTally';

export function createRequestTally(now: () => number = () => performance.now()): RequestTally {
  let records: RequestRecord[] = [];
  const keys = () => [...new Set(records.map((record) => record.key))];
  return {
    attach(client, service) {
      // Priority "normal" puts it outside the modelled latency ("low"), so the sleep is timed too.
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const key = `${service}.${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
          const startMs = now();
          try {
            return await next(args);
          } finally {
            records.push({ key, service, startMs, endMs: now() });
          }
        },
        { step: 'finalizeRequest', priority: 'normal', name: REQUEST_TALLY_MIDDLEWARE, override: true },
      );
    },
    counts: () =>
      Object.fromEntries(keys().map((key) => [key, records.filter((record) => record.key === key).length])),
    timings: () =>
      Object.fromEntries(
        keys().map((key) => {
          const mine = records.filter((record) => record.key === key);
          const total = mine.reduce((sum, record) => sum + record.endMs - record.startMs, 0);
          return [key, { count: mine.length, meanMs: total / mine.length }];
        }),
      ),
    busyMs: (service) => unionMs(records.filter((record) => record.service === service)),
    reset() {
      records = [];
    },
  };
}

function unionMs(intervals: readonly RequestRecord[]): number {
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs);
  let busy = 0;
  let coveredTo = Number.NEGATIVE_INFINITY;
  for (const { startMs, endMs } of sorted) {
    if (endMs <= coveredTo) continue;
    busy += endMs - Math.max(startMs, coveredTo);
    coveredTo = endMs;
  }
  return busy;
}

/** Sum of the counts whose operation is one of `operations`, e.g. DynamoDB reads. */
export function sumOf(counts: RequestCounts, service: string, operations: readonly string[]): number {
  return operations.reduce((sum, operation) => sum + (counts[`${service}.${operation}`] ?? 0), 0);
}

/** Every request of one service. */
export function totalOf(counts: RequestCounts, service: string): number {
  return Object.entries(counts)
    .filter(([key]) => key.startsWith(`${service}.`))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** The counts of several tallies (e.g. one per container) added up per operation. */
export function mergeCounts(tallies: readonly RequestCounts[]): RequestCounts {
  const merged: Record<string, number> = {};
  for (const counts of tallies) {
    for (const [key, count] of Object.entries(counts)) merged[key] = (merged[key] ?? 0) + count;
  }
  return merged;
}
