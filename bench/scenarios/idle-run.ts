/**
 * The idle run of one process, as issue 10 counts it: on a warm container whose process item already
 * has its layout. The process's first run (its silent baseline, which also reads the layout-1 items
 * once to migrate them) is reported beside it, not counted; then `IDLE_RUN.samples` runs, each a
 * poll interval after the one before with nothing changed in its window, are measured.
 */
import { LAMBDA_HEAP_FLAGS } from '../../shared/config/lambda-runtime.js';
import { BENCH_PROCESS_ID, FAN_OUT_API_LATENCY, IDLE_RUN } from '../bench-model.js';
import { forkPoller } from '../processes/poller-remote.js';
import {
  advanceAll,
  type BenchContext,
  benchPollerInit,
  forkBenchSandbox,
  observedOn,
} from './bench-context.js';
import type { ObservedRun } from './change-run.js';

export interface IdleRunResults {
  readonly apiLatencyMs: number;
  /** The process's first run: a baseline that also migrates (reads) the layout-1 items. */
  readonly firstRun: ObservedRun;
  /** Warm idle runs of the migrated process, a poll interval apart. */
  readonly samples: readonly ObservedRun[];
}

export async function runIdleScenario(context: BenchContext): Promise<IdleRunResults> {
  const sandbox = await forkBenchSandbox(context, {
    projects: IDLE_RUN.projects,
    processIds: [BENCH_PROCESS_ID],
    latency: FAN_OUT_API_LATENCY,
  });
  try {
    const poller = await forkPoller(benchPollerInit(context, sandbox.ready, false), LAMBDA_HEAP_FLAGS);
    try {
      const tableName = await context.createTable();
      const observe = async (): Promise<ObservedRun> => ({
        ...(await observedOn(sandbox, () => poller.call('run', { implementation: 'real', tableName }))),
        apiFloorMs: 0,
      });
      context.progress(`idle: first run of a ${IDLE_RUN.projects}-project process (baseline, migration)`);
      const firstRun = await observe();
      const samples: ObservedRun[] = [];
      for (let sample = 1; sample <= IDLE_RUN.samples; sample++) {
        await advanceAll(IDLE_RUN.intervalMs, sandbox, poller);
        context.progress(`idle: warm idle run ${sample} of ${IDLE_RUN.samples}`);
        samples.push(await observe());
      }
      return { apiLatencyMs: FAN_OUT_API_LATENCY.perRequestMs, firstRun, samples };
    } finally {
      await poller.stop();
    }
  } finally {
    await sandbox.stop();
  }
}
