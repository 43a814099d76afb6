/** The parallel-processes part of the report: one workspace's idle cycle one process at a time and in parallel. */
import { totalOf } from '../aws/request-tally.js';
import type { ObservedCycle } from '../scenarios/fan-out.js';
import type { ManyProcessesResults } from '../scenarios/many-processes.js';
import { count, ratio, seconds } from './figure-format.js';
import type { ReportFormat } from './report-format.js';
import { type Check, check } from './targets.js';

/** How many times faster the parallel idle cycle finished than the sequential one. */
function parallelSpeedUp(results: ManyProcessesResults): number {
  return results.sequential.report.wallMs / results.parallel.report.wallMs;
}

export function manyProcessesCheck(results: ManyProcessesResults): Check {
  return check(
    `${results.processes} processes: idle cycle, sequential / parallel (wall)`,
    parallelSpeedUp(results),
    '>=',
    5,
    'ratio',
  );
}

export function manyProcessesSection(
  results: ManyProcessesResults,
  { table, heading }: ReportFormat,
): string[] {
  const { sequential, parallel } = results;
  const row = (label: string, figure: (cycle: ObservedCycle) => string) => [
    label,
    figure(sequential),
    figure(parallel),
  ];
  const perProcess = (figure: number) => (figure / results.processes).toFixed(2);
  return [
    heading(
      `One workspace of ${results.processes} processes, one invocation, idle cycle, ` +
        `${results.apiLatencyMs} ms per Midaxo request`,
    ),
    table(
      ['', 'one process at a time', `${results.processConcurrency} at a time (default)`],
      [
        row('invocation time (what Lambda bills)', (c) => seconds(c.report.wallMs)),
        row('poller CPU', (c) => seconds(c.report.cpuMs)),
        row('processes run', (c) => count(c.report.invocations.reduce((n, i) => n + i.processes, 0))),
        row('per process: Midaxo listing requests', (c) => perProcess(c.api.listingRequests)),
        row('token requests (warm)', (c) => count(c.api.tokenRequests)),
        row('per process: DynamoDB requests', (c) => perProcess(totalOf(c.report.requests, 'DynamoDB'))),
        ['speed-up', '', ratio(parallelSpeedUp(results))],
      ],
      ['left', 'right', 'right'],
    ),
  ];
}
