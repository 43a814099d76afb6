/** The bench's handle on a poller child process, and what one measured run reports. */
import type { ProcessSummary } from '../../shared/core/scan-listing.js';
import type { AwsLatency } from '../aws/bench-aws-clients.js';
import type { CapacityUnits } from '../aws/consumed-capacity.js';
import type { OperationTiming, RequestCounts } from '../aws/request-tally.js';
import type { MidaxoAccess } from '../poller/poller-target.js';
import { forkOperations, type RemoteProcess } from './rpc.js';

export type Implementation = 'real' | 'naive';

export interface PollerInit {
  readonly midaxo: MidaxoAccess;
  readonly dynamoDbEndpoint: string;
  readonly processId: string;
  readonly clockOffsetMs: number;
  readonly awsLatency: AwsLatency;
  /** Keep published messages to compare implementations; off where memory is measured. */
  readonly keepMessages: boolean;
}

export interface RunReport {
  readonly implementation: Implementation;
  readonly summary: ProcessSummary;
  readonly wallMs: number;
  /** CPU time of the poller process during the run (user + system). */
  readonly cpuMs: number;
  /** AWS requests sent during the run, per service and operation. */
  readonly requests: RequestCounts;
  readonly timings: Readonly<Record<string, OperationTiming>>;
  /** DynamoDB read and write units consumed during the run, as on-demand DynamoDB bills them. */
  readonly capacityUnits: CapacityUnits;
  /** Time during which at least one request of the service was in flight. */
  readonly busyMs: { readonly dynamodb: number; readonly sns: number };
  /** SHA-256 over the sorted message bodies published, to compare implementations; null when not kept. */
  readonly messagesDigest: string | null;
  /** Peak RSS of the poller process since it started. */
  readonly peakRssBytes: number;
  /** Largest heap still in use right after a major GC during the run: memory held, not garbage. */
  readonly peakHeapAfterMajorGcBytes: number;
  /** V8's heap size limit in the poller process: it sets how far V8 lets garbage pile up between major GCs. */
  readonly heapSizeLimitBytes: number;
}

// A type alias, not an interface: only aliases are assignable to the index signature of `Operations`.
export type PollerOperations = {
  /** One poll of the bench process by `implementation` against `tableName`; a warm container per pair. */
  run(arg: { implementation: Implementation; tableName: string }): Promise<RunReport>;
  advanceClock(arg: { ms: number }): void;
};

export type PollerProcess = RemoteProcess<PollerOperations, null>;

export function forkPoller(init: PollerInit, nodeFlags: readonly string[] = []): Promise<PollerProcess> {
  return forkOperations<PollerOperations, null>(new URL('./poller-process.ts', import.meta.url), init, {
    stdout: 'ignore',
    nodeFlags,
  });
}
