/** The idle scenario's part of the report: a warm idle run per process, and the first run beside it. */
import { totalOf } from '../aws/request-tally.js';
import type { ObservedRun } from '../scenarios/change-run.js';
import type { IdleRunResults } from '../scenarios/idle-run.js';
import { median } from '../support/median.js';
import { operationsTable } from './change-run-section.js';
import { count, seconds } from './figure-format.js';
import type { ReportFormat } from './report-format.js';

export interface IdleFigures {
  readonly wallMsMedian: number;
  readonly cpuMsMedian: number;
  /** The most any warm idle run sent, so one unlucky run cannot hide behind a median. */
  readonly dynamodbRequestsMax: number;
  /**
   * The typical warm idle run's: the process's own requests. A container also reads the watermarks of
   * its workspace's processes once every `STALENESS_CHECK_EVERY_MINUTES` (one BatchGetItem per 100
   * processes), which a run now and then carries on top (`dynamodbRequestsMax`).
   */
  readonly dynamodbRequestsMedian: number;
  readonly listingRequestsMax: number;
  readonly tokenRequestsMax: number;
  readonly writeUnitsMax: number;
  readonly readUnitsMax: number;
}

export function idleFigures({ samples }: IdleRunResults): IdleFigures {
  const most = (figure: (run: ObservedRun) => number) => Math.max(...samples.map(figure));
  return {
    wallMsMedian: median(samples.map((run) => run.report.wallMs)),
    cpuMsMedian: median(samples.map((run) => run.report.cpuMs)),
    dynamodbRequestsMax: most((run) => totalOf(run.report.requests, 'DynamoDB')),
    dynamodbRequestsMedian: median(samples.map((run) => totalOf(run.report.requests, 'DynamoDB'))),
    listingRequestsMax: most((run) => run.api.listingRequests),
    tokenRequestsMax: most((run) => run.api.tokenRequests),
    writeUnitsMax: most((run) => run.report.capacityUnits.write),
    readUnitsMax: most((run) => run.report.capacityUnits.read),
  };
}

export function idleRunSection(results: IdleRunResults, { table, heading }: ReportFormat): string[] {
  const figures = idleFigures(results);
  const { firstRun } = results;
  return [
    heading(
      `Idle run of one process, warm, ${results.samples.length} samples ` +
        `(${results.apiLatencyMs} ms per Midaxo request)`,
    ),
    table(
      ['', 'first run (baseline, migration)', 'warm idle run'],
      [
        ['wall time', seconds(firstRun.report.wallMs), `${seconds(figures.wallMsMedian)} (median)`],
        ['poller CPU', seconds(firstRun.report.cpuMs), `${seconds(figures.cpuMsMedian)} (median)`],
        ['Midaxo listing requests', count(firstRun.api.listingRequests), count(figures.listingRequestsMax)],
        ['token requests', count(firstRun.api.tokenRequests), count(figures.tokenRequestsMax)],
        [
          'DynamoDB requests',
          count(totalOf(firstRun.report.requests, 'DynamoDB')),
          count(figures.dynamodbRequestsMax),
        ],
        ['DynamoDB write units', count(firstRun.report.capacityUnits.write), count(figures.writeUnitsMax)],
        ['DynamoDB read units', count(firstRun.report.capacityUnits.read), count(figures.readUnitsMax)],
      ],
      ['left', 'right', 'right'],
    ),
    operationsTable(
      'DynamoDB',
      [
        ['first run', firstRun.report.requests],
        ...results.samples.map((run, index) => [`idle ${index + 1}`, run.report.requests] as const),
      ],
      table,
    ),
  ];
}
