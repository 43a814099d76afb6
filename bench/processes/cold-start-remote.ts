/** The bench's handle on a cold-start child process: a fresh container whose first run is timed with its set-up. */
import type { ProcessSummary } from '../../shared/core/scan-listing.js';
import type { RequestCounts } from '../aws/request-tally.js';
import type { PollerInit } from './poller-remote.js';
import { forkOperations, type RemoteProcess } from './rpc.js';

/** One run of the child's poller, the container's first (`cold`) or a later one. */
export interface ContainerRunReport {
  /** The container's first run: its CPU and wall time include importing and building the poller. */
  readonly cold: boolean;
  readonly summary: ProcessSummary;
  readonly wallMs: number;
  /** CPU time of the child process during the run (user + system), the set-up too when `cold`. */
  readonly cpuMs: number;
  readonly requests: RequestCounts;
}

/** What the cold child is told: a real poller's target and the version its workspace list is stored under. */
export interface ColdStartInit extends Omit<PollerInit, 'keepMessages'> {
  readonly tableName: string;
  readonly workspacesVersion: string;
  /** URL of the bundle of `bench/poller/poller-container.ts` the child imports, built as the stack builds the Lambda's. */
  readonly containerBundleUrl: string;
}

// A type alias, not an interface: only aliases are assignable to the index signature of `Operations`.
export type ColdStartOperations = {
  /** One poll of the bench process; the first builds the container (imports, clients, handler). */
  run(arg?: undefined): Promise<ContainerRunReport>;
  advanceClock(arg: { ms: number }): void;
};

export type ColdStartProcess = RemoteProcess<ColdStartOperations, null>;

export function forkColdStart(init: ColdStartInit, nodeFlags: readonly string[]): Promise<ColdStartProcess> {
  return forkOperations<ColdStartOperations, null>(
    new URL('./cold-start-process.ts', import.meta.url),
    init,
    {
      stdout: 'ignore',
      nodeFlags,
    },
  );
}
