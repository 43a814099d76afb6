/**
 * The benchmark's model, in one place: the modelled latencies of issue 6, the workspace sizes and the
 * clock the runs see. Every figure the report prints is measured against these.
 */

import { LAMBDA_HEAP_FLAGS } from '../shared/config/lambda-runtime.js';

/** Midaxo listing cost: a request is 20 ms plus 0.2 ms per project it returns, so bigger pages are not free. */
export const API_LATENCY = { perRequestMs: 20, perProjectMs: 0.2 } as const;

/** In-region AWS round-trips, added before each SDK call on top of whatever DynamoDB Local itself takes. */
export const AWS_LATENCY = { dynamodbMs: 8, snsMs: 15 } as const;

export const CHANGE_RUN_PROJECTS = 10_000;
export const CHANGED_SHARE = 0.1;
/** Change runs of the real poller, each over a fresh edit; their median is what the targets hold. */
export const CHANGE_RUN_ROUNDS = 3;
export const MEMORY_RUN_PROJECTS = [10_000, 50_000] as const;
/**
 * The V8 settings peak memory is measured under, each with its number of fresh poller processes per
 * workspace size (the median is compared; one sample swings by tens of MB with when V8 collects).
 * The target holds the deployed setting (the stack's NODE_OPTIONS heap cap); node's defaults are shown
 * beside it: V8 then sizes its heap limit from this machine's memory (GBs) and lets garbage pile up
 * between major GCs the longer a run lasts.
 */
export const MEMORY_SETTINGS = [
  {
    label: 'as deployed',
    nodeFlags: [...LAMBDA_HEAP_FLAGS],
    samples: 3,
    target: true,
  },
  { label: 'node defaults', nodeFlags: [], samples: 1, target: false },
  // What a 256 MB function would get with the cap scaled to its memory: context for the memory size.
  {
    label: 'half the cap (--max-old-space-size=96)',
    nodeFlags: ['--max-old-space-size=96'],
    samples: 1,
    target: false,
  },
] as const;

/**
 * The fan-out scenario of issue 10: many workspaces, each its own invocation, against a slow API. Each
 * process holds a few projects, so its first run is a cheap baseline and the measured cycle is idle.
 */
export const FAN_OUT = { workspaces: 40, processesPerWorkspace: 5, projectsPerProcess: 20 } as const;
/** Midaxo listing cost in the fan-out scenario: a slow API, where waiting dominates. */
export const FAN_OUT_API_LATENCY = { perRequestMs: 300, perProjectMs: 0 } as const;

/** Page size of the naive comparison row; the real poller keeps its own default (PAGE_SIZE 100). */
export const NAIVE_PAGE_SIZE = 10;
/** The sandbox caps pages well above the poller's page size, so the client's choice is what is measured. */
export const SANDBOX_MAX_PAGE_SIZE = 1_000;

/**
 * Sample projects are dated from 2024 on, minutes apart. The runs' clock (sandbox and poller alike)
 * starts well after the newest of 50,000, so every project lies inside the first run's window.
 */
export const BENCH_CLOCK_START = '2031-01-01T00:00:00.000Z';

/** How far the clock moves before the idle run: past the poller's 300 s overlap, like a run 15 minutes later. */
export const IDLE_RUN_CLOCK_ADVANCE_MS = 15 * 60_000;

export const BENCH_PROCESS_ID = 'bench-process';
export const BENCH_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:bench-midaxo-changes';
export const BENCH_SECRET_ID = 'bench/midaxo-credentials';
/** Seed of the edits, so every run changes the same projects the same way. */
export const EDIT_SEED = 6;

/**
 * Rounds of the cold-import comparison: each round imports each bundle once, in a fresh node process,
 * the two one after the other (which goes first alternates), so both see the machine's load of that moment.
 */
export const COLD_IMPORT_ROUNDS = 61;

/**
 * The idle scenario: one small process, its first run (a baseline, which also reads the layout-1
 * items once), then `samples` idle runs in the same warm container, each one default poll interval
 * (5 minutes) after the one before, with nothing in its window: all within the sandbox token's hour,
 * as a warm container's runs are between two token refreshes. Midaxo answers as the fan-out's slow
 * API, so an idle run's wall time is a fair (generous) stand-in for what Lambda bills for it.
 */
export const IDLE_RUN = { projects: 20, samples: 5, intervalMs: 5 * 60_000 } as const;

/**
 * The cold-start scenario (issue 23): fresh poller processes, each a new container whose first run is a
 * change run (`CHANGE_RUN_PROJECTS` listed, `CHANGED_SHARE` changed) timed with its set-up, then
 * `runsPerContainer - 1` more change runs in the same, warm, container. Warm is the median of runs 3-5.
 */
export const COLD_START = { containers: 3, runsPerContainer: 5, warmRuns: [3, 4, 5] } as const;

/**
 * The parallel-processes scenario (issue 23 item 4): one workspace of 100 processes behind the fan-out's
 * slow API, its idle cycle run one process at a time (`PROCESS_CONCURRENCY` 1) and with the poller's default.
 */
export const MANY_PROCESSES = { workspaces: 1, processesPerWorkspace: 100, projectsPerProcess: 20 } as const;
