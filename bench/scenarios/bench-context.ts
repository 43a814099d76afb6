/** What every scenario shares: the DynamoDB Local of the bench run, the runs' clock and a progress log. */
import type { SandboxCounters } from '../../sandbox/midaxo-sandbox.js';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import { AWS_LATENCY, BENCH_PROCESS_ID, SANDBOX_MAX_PAGE_SIZE } from '../bench-model.js';
import type { MidaxoAccess } from '../poller/poller-target.js';
import type { FanOutInit } from '../processes/fan-out-remote.js';
import type { PollerInit } from '../processes/poller-remote.js';
import { forkSandbox, type SandboxInit, type SandboxProcess } from '../processes/sandbox-remote.js';

export interface BenchContext {
  readonly dynamoDbEndpoint: string;
  /** Offset of the runs' clock from the system clock, handed to each child process. */
  readonly clockOffsetMs: number;
  /** A fresh, empty state table; its name. */
  createTable(): Promise<string>;
  /** One line of progress on stderr. */
  progress(message: string): void;
}

/** A poller child of the bench process against `midaxo`, with the context's DynamoDB, clock and AWS latency. */
export function benchPollerInit(
  context: BenchContext,
  midaxo: MidaxoAccess,
  keepMessages: boolean,
): PollerInit {
  return {
    midaxo,
    dynamoDbEndpoint: context.dynamoDbEndpoint,
    processId: BENCH_PROCESS_ID,
    clockOffsetMs: context.clockOffsetMs,
    awsLatency: AWS_LATENCY,
    keepMessages,
  };
}

/** A Midaxo sandbox child with the runs' clock and the bench's page cap. */
export function forkBenchSandbox(
  context: BenchContext,
  shape: Pick<SandboxInit, 'projects' | 'processIds' | 'latency'>,
): Promise<SandboxProcess> {
  return forkSandbox({
    ...shape,
    clockOffsetMs: context.clockOffsetMs,
    maxPageSize: SANDBOX_MAX_PAGE_SIZE,
  });
}

/** A fan-out child's deployment of `workspaces` against `midaxo`, with the context's DynamoDB, clock and AWS latency. */
export function benchFanOutInit(
  context: BenchContext,
  midaxo: MidaxoAccess,
  workspaces: readonly WorkspaceConfig[],
  tableName: string,
): FanOutInit {
  return {
    midaxo,
    dynamoDbEndpoint: context.dynamoDbEndpoint,
    tableName,
    workspaces,
    clockOffsetMs: context.clockOffsetMs,
    awsLatency: AWS_LATENCY,
  };
}

/** `work`'s result beside what the sandbox saw while it ran (the sandbox's observations are reset first). */
export async function observedOn<R>(
  sandbox: SandboxProcess,
  work: () => Promise<R>,
): Promise<{ report: R; api: SandboxCounters }> {
  await sandbox.call('resetObservations', undefined);
  const report = await work();
  return { report, api: await sandbox.call('counters', undefined) };
}

/** A child process whose clock the bench moves on. */
interface ClockedProcess {
  call(op: 'advanceClock', arg: { ms: number }): Promise<unknown>;
}

/** Moves the clocks of the sandbox and of every child `ms` on, one after another. */
export async function advanceAll(
  ms: number,
  sandbox: SandboxProcess,
  ...children: readonly ClockedProcess[]
): Promise<void> {
  await sandbox.call('advanceClock', { ms });
  for (const child of children) await child.call('advanceClock', { ms });
}
