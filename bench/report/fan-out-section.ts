/** The fan-out part of the report: one invocation per workspace at once against one invocation in turn. */
import { totalOf } from '../aws/request-tally.js';
import type { FanOutResults, ObservedCycle } from '../scenarios/fan-out.js';
import { median } from '../support/median.js';
import { count, ratio, seconds } from './figure-format.js';
import type { ReportFormat } from './report-format.js';

export interface FanOutFigures {
  readonly processes: number;
  /** How many times faster every process finished its cycle with one invocation per workspace. */
  readonly speedUp: number;
}

export function fanOutFigures(results: FanOutResults): FanOutFigures {
  return {
    processes: results.workspaces * results.processesPerWorkspace,
    speedUp: results.oneInvocation.report.wallMs / results.perWorkspace.report.wallMs,
  };
}

/**
 * The modelled listing latency one invocation waits for, added up: a workspace's listings follow one
 * another, so no invocation can finish sooner (with one invocation per workspace, the largest one's).
 */
function apiFloorMs(results: FanOutResults, cycle: ObservedCycle): number {
  const perInvocation = cycle.api.listingRequests / cycle.report.invocations.length;
  return perInvocation * results.apiLatencyMs;
}

export function fanOutSection(results: FanOutResults, { table, heading }: ReportFormat): string[] {
  const { processes, speedUp } = fanOutFigures(results);
  const { perWorkspace, oneInvocation } = results;
  const perProcess = (cycle: ObservedCycle, figure: (cycle: ObservedCycle) => number) =>
    (figure(cycle) / processes).toFixed(2);
  const row = (label: string, figure: (cycle: ObservedCycle) => string) => [
    label,
    figure(perWorkspace),
    figure(oneInvocation),
  ];
  const invocationTimes = (cycle: ObservedCycle) => cycle.report.invocations.map((i) => i.wallMs);
  return [
    heading(
      `Fan-out: ${results.workspaces} workspaces × ${results.processesPerWorkspace} processes, ` +
        `idle cycle, ${results.apiLatencyMs} ms per Midaxo request`,
    ),
    table(
      ['', 'an invocation per workspace', 'one invocation'],
      [
        row('time until every process finished', (c) => seconds(c.report.wallMs)),
        row('API floor of an invocation (listing latency)', (c) => seconds(apiFloorMs(results, c))),
        row('invocations', (c) => count(c.report.invocations.length)),
        row('invocation time, median', (c) => seconds(median(invocationTimes(c)))),
        row('invocation time, longest', (c) => seconds(Math.max(...invocationTimes(c)))),
        row('processes run', (c) => count(c.report.invocations.reduce((n, i) => n + i.processes, 0))),
        row('poller CPU (all containers)', (c) => seconds(c.report.cpuMs)),
        row('per process: Midaxo listing requests', (c) => perProcess(c, (x) => x.api.listingRequests)),
        row('per process: token requests (warm)', (c) => perProcess(c, (x) => x.api.tokenRequests)),
        row('per process: DynamoDB requests', (c) =>
          perProcess(c, (x) => totalOf(x.report.requests, 'DynamoDB')),
        ),
        ['speed-up', ratio(speedUp), ''],
      ],
      ['left', 'right', 'right'],
    ),
  ];
}
