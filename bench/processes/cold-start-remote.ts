/** The bench's handle on a cold-start child process: a fresh container whose first run is timed with its set-up. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProcessSummary } from '../../shared/core/scan-listing.js';
import type { RequestCounts } from '../aws/request-tally.js';
import { bundleLikeTheStack } from '../support/lambda-bundle.js';
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

/**
 * Starts `childBundle`, the bundle of `cold-start-process.ts` (see `bundleColdStart`), in plain node
 * (`execPath`, or this process's): no TypeScript loader, whose hooks and source maps would be in the
 * container's first run.
 */
export function forkColdStart(
  childBundle: URL,
  init: ColdStartInit,
  nodeFlags: readonly string[],
  execPath?: string,
): Promise<ColdStartProcess> {
  return forkOperations<ColdStartOperations, null>(childBundle, init, {
    stdout: 'ignore',
    nodeFlags,
    inheritFlags: false,
    ...(execPath === undefined ? {} : { execPath }),
  });
}

/** The two bundles of a cold start: the child process, and the container its first run imports. */
export interface ColdStartBundles {
  readonly child: URL;
  readonly container: URL;
}

/** Builds both bundles into `dir`, as the stack builds the Lambda's code. */
export async function bundleColdStart(dir: string): Promise<ColdStartBundles> {
  const child = join(dir, 'cold-start-process.mjs');
  const container = join(dir, 'poller-container.mjs');
  await bundleLikeTheStack('bench/processes/cold-start-process.ts', child);
  await bundleLikeTheStack('bench/poller/poller-container.ts', container);
  return { child: pathToFileURL(child), container: pathToFileURL(container) };
}
