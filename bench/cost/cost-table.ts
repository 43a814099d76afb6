/**
 * docs/deploy.md's cost tables, generated from `monthlyCost`: the monthly total for each poll interval
 * and number of processes, what each total is made of, and the inputs with their sources.
 */
import { DEFAULT_PROCESS_CONCURRENCY } from '../../shared/config/poll-defaults.js';
import { markdownTable } from '../report/text-table.js';
import { AWS_PRICES, type AwsPrices, PRICES_READ_ON } from './aws-prices.js';
import { type CostLine, type Deployment, type MeasuredUsage, monthlyCost, totalOf } from './monthly-cost.js';

export const POLL_INTERVALS_MINUTES = [1, 5, 15] as const;
export const PROCESS_COUNTS = [1, 10, 100] as const;

/** The table's assumptions besides the interval and the processes; the stack's defaults where it has one. */
export const TABLE_DEPLOYMENT: Omit<Deployment, 'pollIntervalMinutes' | 'processes'> = {
  workspaces: 1,
  processConcurrency: DEFAULT_PROCESS_CONCURRENCY,
  changesPerProcessPerMonth: 1_000,
  projectsPerProcess: 1_000,
  overlapSeconds: 300,
  eventRetentionDays: 14,
  lambdaMemoryMb: 512,
  coldStartSeconds: 1,
  logBytesPerInvocation: 1_000,
  logBytesPerProcessRun: 300,
  logRetentionDays: 30,
  customMetrics: 11,
  alarms: 6,
  dashboards: 1,
  kmsKeys: 2,
};

export const usd = (value: number) => `$${value.toFixed(2)}`;

/** Which cost lines each column of the breakdown adds up. */
const BREAKDOWN: readonly (readonly [string, readonly string[]])[] = [
  ['Lambda', ['Lambda']],
  ['DynamoDB', ['DynamoDB requests', 'DynamoDB storage + PITR']],
  ['Scheduler, SNS', ['EventBridge Scheduler', 'SNS']],
  ['logs', ['CloudWatch Logs']],
  ['fixed¹', ['KMS', 'Secrets Manager', 'CloudWatch metrics, alarms, dashboard']],
];

export function costGrid(usage: MeasuredUsage, prices: AwsPrices = AWS_PRICES): CostLine[][][] {
  return POLL_INTERVALS_MINUTES.map((pollIntervalMinutes) =>
    PROCESS_COUNTS.map((processes) =>
      monthlyCost(usage, { ...TABLE_DEPLOYMENT, pollIntervalMinutes, processes }, prices),
    ),
  );
}

export function costTablesMarkdown(usage: MeasuredUsage, prices: AwsPrices = AWS_PRICES): string {
  const grid = costGrid(usage, prices);
  const totals = markdownTable(
    ['poll interval', ...PROCESS_COUNTS.map((n) => `${n} process${n === 1 ? '' : 'es'}`)],
    grid.map((row, index) => [
      `${POLL_INTERVALS_MINUTES[index]} min`,
      ...row.map((lines) => `**${usd(totalOf(lines))}**`),
    ]),
    ['left', 'right', 'right', 'right'],
  );
  const breakdown = markdownTable(
    ['interval', 'processes', ...BREAKDOWN.map(([label]) => label), 'total'],
    grid.flatMap((row, i) =>
      row.map((lines, j) => [
        `${POLL_INTERVALS_MINUTES[i]} min`,
        String(PROCESS_COUNTS[j]),
        ...BREAKDOWN.map(([, items]) => usd(totalOf(lines.filter((entry) => items.includes(entry.item))))),
        usd(totalOf(lines)),
      ]),
    ),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const busiest = grid[0]?.[2] ?? [];
  const quantities = markdownTable(
    ['item', 'quantity a month (1 min, 100 processes)', 'cost'],
    busiest.map((entry) => [entry.item, entry.quantity, usd(entry.usd)]),
    ['left', 'left', 'right'],
  );
  return [
    totals,
    '',
    breakdown,
    '',
    "¹ KMS keys, the secret, custom metrics, alarms and the dashboard; only the secret's reads (at most",
    'one per invocation) grow with the schedule.',
    '',
    `An invocation polls ${TABLE_DEPLOYMENT.processConcurrency} processes at once (\`processConcurrency\`): their waits`,
    `for Midaxo and AWS overlap, so an idle cycle of 100 processes is billed ${Math.ceil(100 / TABLE_DEPLOYMENT.processConcurrency)} idle runs of waiting`,
    'plus the CPU of 100 (`idleInvocationSeconds` in bench/cost/monthly-cost.ts; the bench measures the',
    'cycle itself with `npm run bench -- --only processes`).',
    '',
    quantities,
  ].join('\n');
}

export function pricesMarkdown(prices: AwsPrices = AWS_PRICES): string {
  return [
    `Prices read on ${PRICES_READ_ON} (us-east-1, USD):`,
    '',
    markdownTable(
      ['price', 'per', 'from'],
      Object.values(prices).map((price) => [formatPrice(price.usd), price.per, price.source]),
      ['right', 'left', 'left'],
    ),
  ].join('\n');
}

/** Prices under a hundredth of a cent read better per million units. */
function formatPrice(value: number): string {
  if (value >= 0.01) return `$${value.toFixed(2)}`;
  if (value >= 1e-5) return `$${Number(value.toPrecision(6))}`;
  return `$${Number((value * 1e6).toPrecision(4))} per million`;
}
