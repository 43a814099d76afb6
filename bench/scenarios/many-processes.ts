/**
 * The parallel-processes scenario (issue 23 item 4): one workspace of `MANY_PROCESSES.processesPerWorkspace`
 * processes behind a slow Midaxo API (300 ms a request), one invocation of the real handler polling all
 * of them, in two containers sharing one state table: one polling a process at a time
 * (`PROCESS_CONCURRENCY=1`), the other with the poller's default concurrency.
 *  1. the parallel container's first invocation: every process's silent baseline, and its token;
 *  2. the sequential container's first invocation polls one process: its token and workspace list;
 *  3. each measured idle cycle runs 15 minutes after the one before, nothing changed in its window.
 */
import { DEFAULT_PROCESS_CONCURRENCY } from '../../shared/config/poll-defaults.js';
import { FAN_OUT_API_LATENCY, IDLE_RUN_CLOCK_ADVANCE_MS, MANY_PROCESSES } from '../bench-model.js';
import { fanOutWorkspaces } from '../poller/fan-out-deployment.js';
import { type FanOutProcess, forkFanOut } from '../processes/fan-out-remote.js';
import {
  advanceAll,
  type BenchContext,
  benchFanOutInit,
  forkBenchSandbox,
  observedOn,
} from './bench-context.js';
import type { ObservedCycle } from './fan-out.js';

export interface ManyProcessesResults {
  readonly processes: number;
  readonly apiLatencyMs: number;
  readonly processConcurrency: number;
  /** The idle cycle, one process after another. */
  readonly sequential: ObservedCycle;
  /** The idle cycle at the poller's default concurrency. */
  readonly parallel: ObservedCycle;
}

export async function runManyProcessesScenario(context: BenchContext): Promise<ManyProcessesResults> {
  const workspaces = fanOutWorkspaces(MANY_PROCESSES);
  const processIds = workspaces.flatMap((workspace) => workspace.processIds);
  const sandbox = await forkBenchSandbox(context, {
    projects: MANY_PROCESSES.projectsPerProcess,
    processIds,
    latency: FAN_OUT_API_LATENCY,
  });
  const children: FanOutProcess[] = [];
  try {
    const deployment = benchFanOutInit(context, sandbox.ready, workspaces, await context.createTable());
    const parallel = await forkFanOut(deployment);
    children.push(parallel);
    const sequential = await forkFanOut({ ...deployment, processConcurrency: 1 });
    children.push(sequential);
    const observe = (container: FanOutProcess): Promise<ObservedCycle> =>
      observedOn(sandbox, () => container.call('oneInvocation', { payload: {} }));
    const later = () => advanceAll(IDLE_RUN_CLOCK_ADVANCE_MS, sandbox, ...children);

    context.progress(`${processIds.length} processes: baselines, at the default concurrency`);
    await parallel.call('oneInvocation', { payload: {} });
    await later();
    context.progress(`${processIds.length} processes: warming the sequential container (one process)`);
    await sequential.call('oneInvocation', { payload: { processIds: processIds.slice(0, 1) } });
    await later();
    context.progress(`${processIds.length} processes: idle cycle, one at a time (about half a minute)`);
    const sequentialCycle = await observe(sequential);
    await later();
    context.progress(`${processIds.length} processes: idle cycle, ${DEFAULT_PROCESS_CONCURRENCY} at a time`);
    const parallelCycle = await observe(parallel);
    return {
      processes: processIds.length,
      apiLatencyMs: FAN_OUT_API_LATENCY.perRequestMs,
      processConcurrency: DEFAULT_PROCESS_CONCURRENCY,
      sequential: sequentialCycle,
      parallel: parallelCycle,
    };
  } finally {
    for (const child of children) await child.stop();
    await sandbox.stop();
  }
}
