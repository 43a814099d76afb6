/**
 * The cold-start part of the report: a fresh container's first change run, its set-up included, against
 * the same container's warm runs, as CPU per changed project and as ratios to the machine-speed
 * reference measured just before each container, so runs on a faster or busier machine compare.
 */

import { COLD_START } from '../bench-model.js';
import type { ColdStartResults, ObservedContainer } from '../scenarios/cold-start.js';
import { median } from '../support/median.js';
import { count, micros, ratio, seconds } from './figure-format.js';
import type { ReportFormat } from './report-format.js';
import { type Check, changedCount, check, cpuMsPerChangedProject } from './targets.js';

export interface ColdStartFigures {
  /** Medians over the containers of their first run. */
  readonly coldCpuMsPerChange: number;
  /** Median of every container's runs `COLD_START.warmRuns`. */
  readonly warmCpuMsPerChange: number;
  readonly coldOverWarm: number;
  /** CPU of 1,000 changed projects in reference workloads (machine-speed.ts), cold and warm. */
  readonly coldInReferences: number;
  readonly warmInReferences: number;
  /** The cold run's CPU beyond its changes at the warm rate: the container's set-up, median. */
  readonly setUpCpuMs: number;
  /** The naive poller's wall time over the cold run's, both over the first container's change. */
  readonly speedUp: number;
}

const warmRuns = (container: ObservedContainer) =>
  container.runs.filter((_, index) => (COLD_START.warmRuns as readonly number[]).includes(index + 1));
const coldRun = (container: ObservedContainer) => {
  const [first] = container.runs;
  if (first === undefined) throw new Error('A cold-start container ran nothing');
  return first.report;
};

export function coldStartFigures(results: ColdStartResults): ColdStartFigures {
  const { containers } = results;
  const warmOf = (container: ObservedContainer) =>
    median(warmRuns(container).map((run) => cpuMsPerChangedProject(run.report)));
  const inReferences = (msPerChange: (c: ObservedContainer) => number) =>
    median(containers.map((c) => (msPerChange(c) * 1000) / c.reference.referenceWorkloadCpuMs));
  const [first] = containers;
  const coldCpuMsPerChange = median(containers.map((c) => cpuMsPerChangedProject(coldRun(c))));
  const warmCpuMsPerChange = median(
    containers.flatMap((c) => warmRuns(c).map((run) => cpuMsPerChangedProject(run.report))),
  );
  return {
    coldCpuMsPerChange,
    warmCpuMsPerChange,
    coldOverWarm: median(containers.map((c) => cpuMsPerChangedProject(coldRun(c)) / warmOf(c))),
    coldInReferences: inReferences((c) => cpuMsPerChangedProject(coldRun(c))),
    warmInReferences: inReferences(warmOf),
    setUpCpuMs: median(
      containers.map((c) => coldRun(c).cpuMs - warmOf(c) * changedCount(coldRun(c).summary)),
    ),
    speedUp: first === undefined ? Number.NaN : results.naive.wallMs / coldRun(first).wallMs,
  };
}

/** Issue 23's targets for a fresh container's change run. */
export function coldStartChecks(figures: ColdStartFigures): Check[] {
  return [
    check(
      'cold start: CPU µs per changed project, set-up included (median)',
      Math.round(figures.coldCpuMsPerChange * 1000),
      '<=',
      950,
    ),
    check('cold start: speed-up over naive (wall)', figures.speedUp, '>=', 25, 'ratio'),
    check('cold start: cold / warm CPU per changed project', figures.coldOverWarm, '<=', 2, 'ratio'),
  ];
}

export function coldStartSection(results: ColdStartResults, { table, heading }: ReportFormat): string[] {
  const figures = coldStartFigures(results);
  const runColumns = Array.from({ length: COLD_START.runsPerContainer }, (_, i) =>
    i === 0 ? 'run 1 (cold)' : `run ${i + 1}`,
  );
  return [
    heading(
      `Cold start: ${results.containers.length} fresh containers on node ${results.node}, ` +
        `each ${COLD_START.runsPerContainer} change runs ` +
        `(${count(results.projects)} projects, 10% changed)`,
    ),
    table(
      ['container', 'reference', ...runColumns],
      results.containers.map((container, index) => [
        String(index + 1),
        `${container.reference.referenceWorkloadCpuMs.toFixed(0)} ms`,
        ...container.runs.map(
          (run) => `${micros(cpuMsPerChangedProject(run.report))} (${seconds(run.report.wallMs)})`,
        ),
      ]),
      ['left', 'right', ...runColumns.map(() => 'right' as const)],
    ),
    'CPU per changed project (wall time of the run); the cold run includes importing and building the poller.',
    table(
      ['', 'cold', `warm (runs ${COLD_START.warmRuns.join(', ')})`],
      [
        [
          'CPU per changed project, median',
          micros(figures.coldCpuMsPerChange),
          micros(figures.warmCpuMsPerChange),
        ],
        [
          'CPU of 1,000 changed projects / machine-speed reference',
          ratio(figures.coldInReferences),
          ratio(figures.warmInReferences),
        ],
        ['cold / warm', ratio(figures.coldOverWarm), ''],
        [
          'set-up CPU (cold run less its changes at the warm rate)',
          `${figures.setUpCpuMs.toFixed(0)} ms`,
          '',
        ],
        [
          'wall time of the run, median',
          seconds(median(results.containers.map((c) => coldRun(c).wallMs))),
          seconds(median(results.containers.flatMap((c) => warmRuns(c).map((run) => run.report.wallMs)))),
        ],
        ['naive poller over the same change: wall time', seconds(results.naive.wallMs), ''],
        ['speed-up over naive', ratio(figures.speedUp), ''],
      ],
      ['left', 'right', 'right'],
    ),
  ];
}
