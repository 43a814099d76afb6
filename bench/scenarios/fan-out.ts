/**
 * The fan-out scenario: `FAN_OUT.workspaces` workspaces of `FAN_OUT.processesPerWorkspace` processes
 * behind a slow Midaxo API. How long until every process has finished one idle cycle, when each
 * workspace is its own concurrent invocation (as the stack's per-workspace schedules start them),
 * against the same work in one invocation that walks the workspaces in turn.
 *  1. every workspace container runs once: the processes' silent baselines, and its Midaxo token;
 *  2. the all-workspaces container runs one process per workspace: its tokens, so it is warm too;
 *  3. each measured cycle runs 15 minutes after the one before, with nothing changed in its window.
 */
import type { SandboxCounters } from '../../sandbox/midaxo-sandbox.js';
import { FAN_OUT, FAN_OUT_API_LATENCY, IDLE_RUN_CLOCK_ADVANCE_MS } from '../bench-model.js';
import { fanOutWorkspaces } from '../poller/fan-out-deployment.js';
import { type CycleReport, forkFanOut } from '../processes/fan-out-remote.js';
import {
  advanceAll,
  type BenchContext,
  benchFanOutInit,
  forkBenchSandbox,
  observedOn,
} from './bench-context.js';

export interface ObservedCycle {
  readonly report: CycleReport;
  /** What the sandbox saw during the cycle. */
  readonly api: SandboxCounters;
}

export interface FanOutResults {
  readonly workspaces: number;
  readonly processesPerWorkspace: number;
  readonly apiLatencyMs: number;
  /** Each workspace its own invocation, all at once. */
  readonly perWorkspace: ObservedCycle;
  /** One invocation for every workspace, in turn. */
  readonly oneInvocation: ObservedCycle;
}

export async function runFanOutScenario(context: BenchContext): Promise<FanOutResults> {
  const workspaces = fanOutWorkspaces(FAN_OUT);
  const sandbox = await forkBenchSandbox(context, {
    projects: FAN_OUT.projectsPerProcess,
    processIds: workspaces.flatMap((workspace) => workspace.processIds),
    latency: FAN_OUT_API_LATENCY,
  });
  const fanOut = await forkFanOut(
    benchFanOutInit(context, sandbox.ready, workspaces, await context.createTable()),
  ).catch(async (error: unknown) => {
    await sandbox.stop();
    throw error;
  });
  try {
    const observe = (cycle: () => Promise<CycleReport>): Promise<ObservedCycle> => observedOn(sandbox, cycle);
    const later = () => advanceAll(IDLE_RUN_CLOCK_ADVANCE_MS, sandbox, fanOut);
    const shape = `${FAN_OUT.workspaces} workspaces × ${FAN_OUT.processesPerWorkspace} processes`;

    context.progress(`fan-out, ${shape}: baselines, one invocation per workspace`);
    await fanOut.call('perWorkspace', undefined);
    await later();
    context.progress('fan-out: warming the one-invocation container (one process per workspace)');
    const onePerWorkspace = workspaces.flatMap((workspace) => workspace.processIds.slice(0, 1));
    await fanOut.call('oneInvocation', { payload: { processIds: onePerWorkspace } });
    await later();
    context.progress('fan-out: idle cycle, one invocation per workspace, all at once');
    const perWorkspace = await observe(() => fanOut.call('perWorkspace', undefined));
    await later();
    context.progress('fan-out: idle cycle, one invocation, workspaces in turn (about a minute)');
    const oneInvocation = await observe(() => fanOut.call('oneInvocation', { payload: {} }));

    return {
      workspaces: FAN_OUT.workspaces,
      processesPerWorkspace: FAN_OUT.processesPerWorkspace,
      apiLatencyMs: FAN_OUT_API_LATENCY.perRequestMs,
      perWorkspace,
      oneInvocation,
    };
  } finally {
    await fanOut.stop();
    await sandbox.stop();
  }
}
