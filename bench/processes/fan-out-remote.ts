/** The bench's handle on the fan-out child process, and what one cycle of invocations reports. */
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import type { AwsLatency } from '../aws/bench-aws-clients.js';
import type { RequestCounts } from '../aws/request-tally.js';
import type { MidaxoAccess } from '../poller/poller-target.js';
import { forkOperations, type RemoteProcess } from './rpc.js';

export interface FanOutInit {
  readonly midaxo: MidaxoAccess;
  readonly dynamoDbEndpoint: string;
  readonly tableName: string;
  readonly workspaces: readonly WorkspaceConfig[];
  readonly clockOffsetMs: number;
  readonly awsLatency: AwsLatency;
  /** The poller's `PROCESS_CONCURRENCY`. @default - the poller's default */
  readonly processConcurrency?: number;
}

/** One invocation of the real handler and how long it took. */
export interface InvocationReport {
  /** The payload it was invoked with. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly wallMs: number;
  /** Processes it ran (all completed: a failed process fails the cycle). */
  readonly processes: number;
}

export interface CycleReport {
  /** From the first invocation's start until the last one finished: every process ran once. */
  readonly wallMs: number;
  /** CPU time of the child process (every container in it) during the cycle. */
  readonly cpuMs: number;
  readonly invocations: readonly InvocationReport[];
  /** AWS requests of every container, added up. */
  readonly requests: RequestCounts;
}

// A type alias, not an interface: only aliases are assignable to the index signature of `Operations`.
export type FanOutOperations = {
  /** Every workspace's own container invoked at once with `{"mode":"poll","workspaces":[name]}`. */
  perWorkspace(arg?: undefined): Promise<CycleReport>;
  /** The one container for everything, invoked once with `payload` (e.g. `{}`: every workspace in turn). */
  oneInvocation(arg: { payload: Record<string, unknown> }): Promise<CycleReport>;
  advanceClock(arg: { ms: number }): void;
};

export type FanOutProcess = RemoteProcess<FanOutOperations, null>;

export function forkFanOut(init: FanOutInit): Promise<FanOutProcess> {
  return forkOperations<FanOutOperations, null>(new URL('./fan-out-process.ts', import.meta.url), init, {
    stdout: 'ignore',
  });
}
