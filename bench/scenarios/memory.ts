/**
 * Peak memory of the poller by workspace size. For each size, one sandbox holds the workspace; under
 * each V8 setting, fresh poller processes each run the baseline (the run that lists every project) into
 * a fresh table and report their peak RSS. Memory bounded by a page, not by the workspace, keeps the
 * sizes' medians close; the heap in use after major GCs shows what is really held.
 */
import { API_LATENCY, BENCH_PROCESS_ID, MEMORY_SETTINGS } from '../bench-model.js';
import { forkPoller } from '../processes/poller-remote.js';
import type { SandboxProcess } from '../processes/sandbox-remote.js';
import { median } from '../support/median.js';
import { type BenchContext, benchPollerInit, forkBenchSandbox } from './bench-context.js';

export interface MemorySample {
  readonly wallMs: number;
  readonly peakRssBytes: number;
  readonly peakHeapAfterMajorGcBytes: number;
  readonly heapSizeLimitBytes: number;
}

export interface MemoryRun {
  readonly projects: number;
  /** Which of `MEMORY_SETTINGS` the poller processes ran under. */
  readonly setting: string;
  readonly nodeFlags: readonly string[];
  readonly samples: readonly MemorySample[];
  readonly medianPeakRssBytes: number;
  /** The largest heap in use after a major GC, over every sample. */
  readonly peakHeapAfterMajorGcBytes: number;
}

type MemorySetting = (typeof MEMORY_SETTINGS)[number];

/** One run per setting, in the order of `MEMORY_SETTINGS`. */
export async function runMemoryScenario(context: BenchContext, projects: number): Promise<MemoryRun[]> {
  const sandbox = await forkBenchSandbox(context, {
    projects,
    processIds: [BENCH_PROCESS_ID],
    latency: API_LATENCY,
  });
  try {
    const runs: MemoryRun[] = [];
    for (const setting of MEMORY_SETTINGS) runs.push(await runSetting(context, sandbox, projects, setting));
    return runs;
  } finally {
    await sandbox.stop();
  }
}

async function runSetting(
  context: BenchContext,
  sandbox: SandboxProcess,
  projects: number,
  setting: MemorySetting,
): Promise<MemoryRun> {
  const samples: MemorySample[] = [];
  for (let sample = 1; sample <= setting.samples; sample++) {
    context.progress(
      `memory at ${projects} projects, ${setting.label}: baseline in fresh poller process ${sample} of ${setting.samples}`,
    );
    samples.push(await baselineInFreshProcess(context, sandbox, setting.nodeFlags));
  }
  return {
    projects,
    setting: setting.label,
    nodeFlags: setting.nodeFlags,
    samples,
    medianPeakRssBytes: median(samples.map((sample) => sample.peakRssBytes)),
    peakHeapAfterMajorGcBytes: Math.max(...samples.map((sample) => sample.peakHeapAfterMajorGcBytes)),
  };
}

async function baselineInFreshProcess(
  context: BenchContext,
  sandbox: SandboxProcess,
  nodeFlags: readonly string[],
): Promise<MemorySample> {
  const poller = await forkPoller(benchPollerInit(context, sandbox.ready, false), nodeFlags);
  try {
    const tableName = await context.createTable();
    const baseline = await poller.call('run', { implementation: 'real', tableName });
    return {
      wallMs: baseline.wallMs,
      peakRssBytes: baseline.peakRssBytes,
      peakHeapAfterMajorGcBytes: baseline.peakHeapAfterMajorGcBytes,
      heapSizeLimitBytes: baseline.heapSizeLimitBytes,
    };
  } finally {
    await poller.stop();
  }
}
