/**
 * The cold-start scenario (issue 23 item 6), on one workspace of 10,000 projects:
 *  1. baseline the state table with the real poller (and a second one for the naive poller);
 *  2. for each of `COLD_START.containers` fresh poller processes (the poller bundled as the stack bundles it,
 *     on `BENCH_LAMBDA_NODE` when set, see lambda-node.ts): edit 10% of the projects, then its
 *     first run, timed from before the poller's first import to the end of the run (the cold run);
 *     then, in the same container, `runsPerContainer - 1` more rounds of edit and run (warm runs);
 *     between two rounds the run re-reading the overlap, unmeasured, as in the change-run scenario;
 *  3. over the first container's change, the naive poller in a process of its own, for the speed-up.
 */
import { fileURLToPath } from 'node:url';
import type { SandboxCounters } from '../../sandbox/midaxo-sandbox.js';
import { LAMBDA_HEAP_FLAGS } from '../../shared/config/lambda-runtime.js';
import { storedWorkspacesVersion } from '../../test/support/dynamodb-test-table.js';
import {
  API_LATENCY,
  BENCH_PROCESS_ID,
  CHANGE_RUN_PROJECTS,
  CHANGED_SHARE,
  COLD_START,
  EDIT_SEED,
  IDLE_RUN_CLOCK_ADVANCE_MS,
} from '../bench-model.js';
import { benchWorkspaces } from '../poller/poller-target.js';
import { bundleColdStart, type ContainerRunReport, forkColdStart } from '../processes/cold-start-remote.js';
import { forkPoller, type RunReport } from '../processes/poller-remote.js';
import { lambdaNodeFromEnv } from '../support/lambda-node.js';
import { type MachineSpeed, measureMachineSpeed } from '../support/machine-speed.js';
import {
  advanceAll,
  type BenchContext,
  benchPollerInit,
  forkBenchSandbox,
  observedOn,
} from './bench-context.js';

const COLD_START_DIR = fileURLToPath(new URL('../results/cold-start/', import.meta.url));

export interface ObservedContainerRun {
  readonly report: ContainerRunReport;
  /** What the sandbox saw during the run. */
  readonly api: SandboxCounters;
}

export interface ObservedContainer {
  /** The machine-speed reference, measured in the bench process just before the container started. */
  readonly reference: MachineSpeed;
  /** Its runs, the cold (first) one first. */
  readonly runs: readonly ObservedContainerRun[];
}

export interface ColdStartResults {
  readonly projects: number;
  /** The version of node the containers ran (`BENCH_LAMBDA_NODE`, or the bench's own). */
  readonly node: string;
  readonly containers: readonly ObservedContainer[];
  /** The naive poller over the first container's change. */
  readonly naive: RunReport;
}

export async function runColdStartScenario(context: BenchContext): Promise<ColdStartResults> {
  const node = lambdaNodeFromEnv();
  const sandbox = await forkBenchSandbox(context, {
    projects: CHANGE_RUN_PROJECTS,
    processIds: [BENCH_PROCESS_ID],
    latency: API_LATENCY,
  });
  const init = benchPollerInit(context, sandbox.ready, false);
  context.progress('cold start: bundling the child and the poller container as the stack bundles the Lambda');
  const bundles = await bundleColdStart(COLD_START_DIR);
  const helper = await forkPoller(init, LAMBDA_HEAP_FLAGS);
  try {
    const realTable = await context.createTable();
    const naiveTable = await context.createTable();
    context.progress(`cold start: baselines of ${CHANGE_RUN_PROJECTS} projects (two state tables)`);
    await helper.call('run', { implementation: 'real', tableName: realTable });
    await helper.call('run', { implementation: 'real', tableName: naiveTable });

    let clockOffsetMs = context.clockOffsetMs;
    let edits = 0;
    const edit = () =>
      sandbox.call('editProjects', {
        processId: BENCH_PROCESS_ID,
        count: Math.round(CHANGE_RUN_PROJECTS * CHANGED_SHARE),
        seed: EDIT_SEED + edits++,
      });
    const workspacesVersion = storedWorkspacesVersion(benchWorkspaces(init));
    const containers: ObservedContainer[] = [];
    let naive: RunReport | undefined;
    for (let index = 1; index <= COLD_START.containers; index++) {
      const reference = measureMachineSpeed();
      const container = await forkColdStart(
        bundles.child,
        {
          ...init,
          clockOffsetMs,
          tableName: realTable,
          workspacesVersion,
          containerBundleUrl: bundles.container.href,
        },
        LAMBDA_HEAP_FLAGS,
        node.execPath,
      );
      try {
        const later = () => {
          clockOffsetMs += IDLE_RUN_CLOCK_ADVANCE_MS;
          return advanceAll(IDLE_RUN_CLOCK_ADVANCE_MS, sandbox, container, helper);
        };
        const runs: ObservedContainerRun[] = [];
        for (let round = 1; round <= COLD_START.runsPerContainer; round++) {
          const edited = await edit();
          context.progress(
            `cold start: container ${index} of ${COLD_START.containers}, run ${round} (${edited} edited)`,
          );
          runs.push(await observedOn(sandbox, () => container.call('run', undefined)));
          if (naive === undefined) {
            context.progress('cold start: the naive poller over the same change (about half a minute)');
            naive = await helper.call('run', { implementation: 'naive', tableName: naiveTable });
          }
          await later();
          await container.call('run', undefined);
          await later();
        }
        containers.push({ reference, runs });
      } finally {
        await container.stop();
      }
    }
    if (naive === undefined) throw new Error('The cold-start scenario ran no naive poller');
    return { projects: CHANGE_RUN_PROJECTS, node: node.version, containers, naive };
  } finally {
    await helper.stop();
    await sandbox.stop();
  }
}
