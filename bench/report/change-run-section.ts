/** The change run's part of the report: scenarios A and B side by side, request timings, the runs after, the baseline. */
import { type RequestCounts, sumOf, totalOf } from '../aws/request-tally.js';
import type { ChangeRunResults, ObservedRun } from '../scenarios/change-run.js';
import { deriveFigures } from './bench-results.js';
import { count, micros, ratio, seconds } from './figure-format.js';
import type { ReportFormat } from './report-format.js';
import {
  changedCount,
  cpuMsPerChangedProject,
  DYNAMODB_READS,
  DYNAMODB_WRITES,
  SNS_CALLS,
} from './targets.js';

export function changeRunSection(run: ChangeRunResults, { table, heading }: ReportFormat): string[] {
  const derived = deriveFigures(run);
  return [
    heading(`Change run: ${count(run.projects)} projects, ${count(derived.changed)} changed`),
    table(
      ['', 'real poller', 'naive poller'],
      [
        ['wall time', seconds(run.real.report.wallMs), seconds(run.naive.report.wallMs)],
        [
          'Midaxo listing requests',
          count(run.real.api.listingRequests),
          count(run.naive.api.listingRequests),
        ],
        ['projects listed', count(run.real.report.summary.scanned), count(run.naive.report.summary.scanned)],
        [
          'API floor (sum of modelled listing latency)',
          seconds(run.real.apiFloorMs),
          seconds(run.naive.apiFloorMs),
        ],
        ['wall / API floor', ratio(derived.realWallOverFloor), ratio(derived.naiveWallOverFloor)],
        [
          'time with DynamoDB requests in flight',
          seconds(run.real.report.busyMs.dynamodb),
          seconds(run.naive.report.busyMs.dynamodb),
        ],
        [
          'time with SNS requests in flight',
          seconds(run.real.report.busyMs.sns),
          seconds(run.naive.report.busyMs.sns),
        ],
        ['poller CPU', seconds(run.real.report.cpuMs), seconds(run.naive.report.cpuMs)],
        [
          'poller CPU per listed project',
          micros(derived.cpuMsPerListedProject),
          micros(run.naive.report.cpuMs / Math.max(1, run.naive.report.summary.scanned)),
        ],
        ...requestRows(run.real, run.naive),
        [
          'events published',
          count(run.real.report.summary.published),
          count(run.naive.report.summary.published),
        ],
        ['same events as the real poller', '', sameEvents(run.real, run.naive)],
        ['speed-up', ratio(derived.speedUp), ''],
      ],
      ['left', 'right', 'right'],
    ),
    heading(`The real poller's change run, ${run.realRounds.length} rounds (each a fresh edit)`),
    roundsTable(run, derived.medians, table),
    heading('Mean request time of the real poller (modelled latency included)'),
    table(
      ['operation', 'requests', 'mean'],
      Object.entries(run.real.report.timings).map(([operation, timing]) => [
        operation,
        count(timing.count),
        `${timing.meanMs.toFixed(1)} ms`,
      ]),
      ['left', 'right', 'right'],
    ),
    heading('The runs after it (warm container, each 15 min after the one before)'),
    table(
      ['', 'next run (re-reads the overlap)', 'idle run'],
      [
        ['wall time', seconds(run.overlapReread.report.wallMs), seconds(run.idle.report.wallMs)],
        [
          'Midaxo listing requests',
          count(run.overlapReread.api.listingRequests),
          count(run.idle.api.listingRequests),
        ],
        [
          'projects listed',
          count(run.overlapReread.report.summary.scanned),
          count(run.idle.report.summary.scanned),
        ],
        ['token requests', count(run.overlapReread.api.tokenRequests), count(run.idle.api.tokenRequests)],
        [
          'DynamoDB requests',
          count(totalOf(run.overlapReread.report.requests, 'DynamoDB')),
          count(totalOf(run.idle.report.requests, 'DynamoDB')),
        ],
        [
          'SNS requests',
          count(totalOf(run.overlapReread.report.requests, 'SNS')),
          count(totalOf(run.idle.report.requests, 'SNS')),
        ],
        [
          'Secrets Manager requests',
          count(totalOf(run.overlapReread.report.requests, 'SecretsManager')),
          count(totalOf(run.idle.report.requests, 'SecretsManager')),
        ],
      ],
      ['left', 'right', 'right'],
    ),
    heading('Baseline (first run, silent)'),
    table(
      ['', 'measured'],
      [
        ['wall time', seconds(run.baseline.report.wallMs)],
        ['API floor', seconds(run.baseline.apiFloorMs)],
        ['wall / API floor', ratio(run.baseline.report.wallMs / run.baseline.apiFloorMs)],
        ['DynamoDB requests', count(totalOf(run.baseline.report.requests, 'DynamoDB'))],
      ],
      ['left', 'right'],
    ),
    heading('DynamoDB requests by operation'),
    operationsTable(
      'DynamoDB',
      [
        ['baseline', run.baseline.report.requests],
        ['change run', run.real.report.requests],
        ['next run', run.overlapReread.report.requests],
        ['idle run', run.idle.report.requests],
      ],
      table,
    ),
    heading('DynamoDB capacity units consumed (as on-demand DynamoDB bills them)'),
    table(
      ['', 'baseline', 'change run', 'next run', 'idle run'],
      (['write', 'read'] as const).map((kind) => [
        `${kind} units`,
        ...[run.baseline, run.real, run.overlapReread, run.idle].map((r) =>
          count(r.report.capacityUnits[kind]),
        ),
      ]),
      ['left', 'right', 'right', 'right', 'right'],
    ),
  ];
}

function roundsTable(
  run: ChangeRunResults,
  medians: ReturnType<typeof deriveFigures>['medians'],
  table: ReportFormat['table'],
): string {
  const rounds = run.realRounds;
  const row = (label: string, figure: (round: ObservedRun) => string, middle: string) => [
    label,
    ...rounds.map(figure),
    middle,
  ];
  return table(
    ['', ...rounds.map((_, index) => `round ${index + 1}`), 'median'],
    [
      row('changed projects', (r) => count(changedCount(r.report.summary)), ''),
      row('wall time', (r) => seconds(r.report.wallMs), seconds(medians.wallMs)),
      row('API floor', (r) => seconds(r.apiFloorMs), ''),
      row('wall / API floor', (r) => ratio(r.report.wallMs / r.apiFloorMs), ratio(medians.wallOverApiFloor)),
      row(
        'poller CPU per changed project',
        (r) => micros(cpuMsPerChangedProject(r.report)),
        micros(medians.cpuMsPerChangedProject),
      ),
    ],
    ['left', ...rounds.map(() => 'right' as const), 'right'],
  );
}

function requestRows(real: ObservedRun, naive: ObservedRun): string[][] {
  const reads = (run: ObservedRun) => count(sumOf(run.report.requests, 'DynamoDB', DYNAMODB_READS));
  const writes = (run: ObservedRun) => count(sumOf(run.report.requests, 'DynamoDB', DYNAMODB_WRITES));
  const sns = (run: ObservedRun) => count(sumOf(run.report.requests, 'SNS', SNS_CALLS));
  return [
    ['DynamoDB reads', reads(real), reads(naive)],
    ['DynamoDB writes', writes(real), writes(naive)],
    ['SNS calls', sns(real), sns(naive)],
    ['token requests', count(real.api.tokenRequests), count(naive.api.tokenRequests)],
  ];
}

function sameEvents(real: ObservedRun, naive: ObservedRun): string {
  if (real.report.messagesDigest === null || naive.report.messagesDigest === null) return 'not compared';
  return real.report.messagesDigest === naive.report.messagesDigest ? 'yes (identical messages)' : 'NO';
}

/** One row per operation of `service`, one column per run: narrower than listing them in a cell. */
export function operationsTable(
  service: string,
  runs: readonly (readonly [string, RequestCounts])[],
  table: ReportFormat['table'],
): string {
  const prefix = `${service}.`;
  const operations = [
    ...new Set(runs.flatMap(([, requests]) => Object.keys(requests).filter((key) => key.startsWith(prefix)))),
  ].sort();
  return table(
    ['operation', ...runs.map(([label]) => label)],
    [
      ...operations.map((key) => [
        key.slice(prefix.length),
        ...runs.map(([, requests]) => count(requests[key] ?? 0)),
      ]),
      ['total', ...runs.map(([, requests]) => count(totalOf(requests, service)))],
    ],
    ['left', ...runs.map(() => 'right' as const)],
  );
}
