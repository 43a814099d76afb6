/**
 * Scenarios A and B and the idle run, on one workspace of 10,000 projects:
 *  1. baseline both state tables with the real poller (the naive one's too, so only the measured run differs);
 *  2. edit 10% of the projects;
 *  3. measure the real poller's run, then (first round only) the naive one's, over the same change, in a
 *     process of its own: its thousands of SDK calls would otherwise warm the real poller's SDK code,
 *     which a deployed container never has;
 *  4. 15 minutes later, the next run re-reads the overlap (the change, silently); 15 minutes after that,
 *     with nothing changed in its window, measure the idle run of the (warm) real poller.
 * Steps 2-4 run `CHANGE_RUN_ROUNDS` times, each round editing other projects, so the real poller's
 * figures are medians of as many runs; the naive run and the runs after it are from the first round.
 */
import type { SandboxCounters } from '../../sandbox/midaxo-sandbox.js';
import { LAMBDA_HEAP_FLAGS } from '../../shared/config/lambda-runtime.js';
import {
  API_LATENCY,
  BENCH_PROCESS_ID,
  CHANGE_RUN_PROJECTS,
  CHANGE_RUN_ROUNDS,
  CHANGED_SHARE,
  EDIT_SEED,
  IDLE_RUN_CLOCK_ADVANCE_MS,
} from '../bench-model.js';
import {
  forkPoller,
  type Implementation,
  type PollerProcess,
  type RunReport,
} from '../processes/poller-remote.js';
import type { SandboxProcess } from '../processes/sandbox-remote.js';
import { apiFloorMs } from '../report/api-floor.js';
import {
  advanceAll,
  type BenchContext,
  benchPollerInit,
  forkBenchSandbox,
  observedOn,
} from './bench-context.js';

export interface ObservedRun {
  readonly report: RunReport;
  /** What the sandbox saw during the run. */
  readonly api: SandboxCounters;
  readonly apiFloorMs: number;
}

export interface ChangeRunResults {
  readonly projects: number;
  readonly edited: number;
  readonly baseline: ObservedRun;
  /** The real poller's change run of the first round, over the same change as the naive one. */
  readonly real: ObservedRun;
  /** The real poller's change run of every round, the first included. */
  readonly realRounds: readonly ObservedRun[];
  readonly naive: ObservedRun;
  /** The run after the change: its window reaches back `overlapSeconds` and lists the change again. */
  readonly overlapReread: ObservedRun;
  readonly idle: ObservedRun;
}

interface ChangeRound {
  readonly edited: number;
  readonly real: ObservedRun;
  readonly naive?: ObservedRun;
  readonly overlapReread: ObservedRun;
  readonly idle: ObservedRun;
}

export async function runChangeScenarios(context: BenchContext): Promise<ChangeRunResults> {
  const sandbox = await forkBenchSandbox(context, {
    projects: CHANGE_RUN_PROJECTS,
    processIds: [BENCH_PROCESS_ID],
    latency: API_LATENCY,
  });
  const pollers: PollerProcess[] = [];
  try {
    // With the Lambda's V8 flags, so its CPU and memory are what is deployed.
    const init = benchPollerInit(context, sandbox.ready, true);
    const poller = await forkPoller(init, LAMBDA_HEAP_FLAGS);
    pollers.push(poller);
    const naivePoller = await forkPoller(init, LAMBDA_HEAP_FLAGS);
    pollers.push(naivePoller);
    const realTable = await context.createTable();
    const naiveTable = await context.createTable();
    const observe = observer(sandbox, poller);
    const observeNaive = observer(sandbox, naivePoller);

    context.progress(
      `baseline of ${CHANGE_RUN_PROJECTS} projects (real poller, twice: one state table each)`,
    );
    const baseline = await observe('real', realTable);
    await observe('real', naiveTable);

    const later = () => advanceAll(IDLE_RUN_CLOCK_ADVANCE_MS, sandbox, ...pollers);
    const rounds: ChangeRound[] = [];
    for (let round = 1; round <= CHANGE_RUN_ROUNDS; round++) {
      const edited = await sandbox.call('editProjects', {
        processId: BENCH_PROCESS_ID,
        count: Math.round(CHANGE_RUN_PROJECTS * CHANGED_SHARE),
        seed: EDIT_SEED + round - 1,
      });
      context.progress(`round ${round} of ${CHANGE_RUN_ROUNDS}: edited ${edited} projects; the real poller`);
      const real = await observe('real', realTable);
      let naive: ObservedRun | undefined;
      if (round === 1) {
        context.progress('scenario B: the naive poller over the same change (about half a minute)');
        naive = await observeNaive('naive', naiveTable);
      }
      await later();
      context.progress('next run: re-reads the overlap');
      const overlapReread = await observe('real', realTable);
      await later();
      context.progress('idle run (nothing changed in its window)');
      const idle = await observe('real', realTable);
      rounds.push({ edited, real, naive, overlapReread, idle });
    }
    const [first] = rounds;
    if (first?.naive === undefined) throw new Error('The first change round ran no naive poller');
    const { edited, real, naive, overlapReread, idle } = first;

    return {
      projects: CHANGE_RUN_PROJECTS,
      edited,
      baseline,
      real,
      realRounds: rounds.map((round) => round.real),
      naive,
      overlapReread,
      idle,
    };
  } finally {
    for (const poller of pollers) await poller.stop();
    await sandbox.stop();
  }
}

function observer(sandbox: SandboxProcess, poller: PollerProcess) {
  return async (implementation: Implementation, tableName: string): Promise<ObservedRun> => {
    const observed = await observedOn(sandbox, () => poller.call('run', { implementation, tableName }));
    return { ...observed, apiFloorMs: apiFloorMs(observed.api, API_LATENCY) };
  };
}
