/**
 * What the stack costs a month, from the bench's measured figures per idle run and per changed project
 * and a deployment's shape (poll interval, processes, changes). Pure arithmetic, so docs/deploy.md's
 * cost table is generated from it (`npx tsx bench/cost/print-cost-table.ts`) and a test keeps the two
 * the same.
 */
import { ALWAYS_FREE, type AwsPrices } from './aws-prices.js';

/** Lambda gives a function one vCPU at 1,769 MB and CPU in proportion to memory below that. */
export const FULL_VCPU_MEMORY_MB = 1_769;

/** What the bench measured, per unit of work, on its machine. */
export interface MeasuredUsage {
  /** A warm idle run of one process (claim, one listing request, release). */
  readonly idleRun: RunFigures;
  /** A change run divided by its changed projects: record, publish, save, and the run's share of the rest. */
  readonly perChangedProject: RunFigures;
  /** A run that lists projects and finds nothing changed (the overlap re-read), per listed project. */
  readonly perRelistedProject: RunFigures;
  /** Poller memory at its peak over a whole-workspace run, as deployed. */
  readonly peakRssMiB: number;
}

export interface RunFigures {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly writeUnits: number;
  readonly readUnits: number;
}

/** The shape of a deployment, and the assumptions a cost table states beside it. */
export interface Deployment {
  readonly pollIntervalMinutes: number;
  readonly processes: number;
  /** Processes of a workspace polled at once (the poller's `processConcurrency`); their waits overlap. */
  readonly processConcurrency: number;
  /** Every process in one workspace: one secret, one invocation per schedule. */
  readonly workspaces: number;
  readonly changesPerProcessPerMonth: number;
  readonly projectsPerProcess: number;
  readonly overlapSeconds: number;
  readonly eventRetentionDays: number;
  readonly lambdaMemoryMb: number;
  /** Billed init of an invocation's cold start; every invocation is counted as cold, the worst case. */
  readonly coldStartSeconds: number;
  /** Log bytes of an invocation: Lambda's START/END/REPORT lines plus the run summary line. */
  readonly logBytesPerInvocation: number;
  readonly logBytesPerProcessRun: number;
  readonly logRetentionDays: number;
  /** The stack's fixed monitoring: custom metrics (10 emitted + Powertools ColdStart), alarms, dashboards. */
  readonly customMetrics: number;
  readonly alarms: number;
  readonly dashboards: number;
  readonly kmsKeys: number;
}

export interface CostLine {
  readonly item: string;
  readonly usd: number;
  /** The quantity priced, in words, e.g. "8,670 invocations, 2,905 GB-s". */
  readonly quantity: string;
}

const DAYS_PER_MONTH = 30;
const MINUTES_PER_MONTH = DAYS_PER_MONTH * 24 * 60;
const KB = 1024;
const GB = 1024 ** 3;

/**
 * How much longer CPU work takes at `memoryMb`: below 1,769 MB Lambda gives a share of one core, the
 * bench measured on a full one. Same per-core speed is assumed.
 */
function cpuSlowdown(memoryMb: number): number {
  return Math.max(1, FULL_VCPU_MEMORY_MB / memoryMb);
}

/**
 * Lambda bills the wall time of the invocation. The bench's wall time includes its CPU time on a
 * full core, so the CPU part takes longer by `cpuSlowdown` (the waiting part does not).
 */
export function billedSeconds(figures: Pick<RunFigures, 'wallMs' | 'cpuMs'>, memoryMb: number): number {
  return (figures.wallMs + figures.cpuMs * (cpuSlowdown(memoryMb) - 1)) / 1000;
}

/**
 * Billed seconds of the idle runs of one invocation's `processes`, `concurrency` at a time: their waits
 * overlap, a wave of runs lasting one run's wait; their CPU does not (below a full vCPU there is less
 * than one core to share), so it is billed in full, slowed as in `billedSeconds`.
 */
export function idleInvocationSeconds(
  idleRun: Pick<RunFigures, 'wallMs' | 'cpuMs'>,
  processes: number,
  concurrency: number,
  memoryMb: number,
): number {
  const waves = Math.ceil(processes / Math.max(1, concurrency));
  const waitMs = Math.max(0, idleRun.wallMs - idleRun.cpuMs);
  return (waves * waitMs + processes * idleRun.cpuMs * cpuSlowdown(memoryMb)) / 1000;
}

/** How many later runs list a change again: each window reaches `overlapSeconds` back. */
export function rereadsPerChange(
  deployment: Pick<Deployment, 'overlapSeconds' | 'pollIntervalMinutes'>,
): number {
  return deployment.overlapSeconds / (deployment.pollIntervalMinutes * 60);
}

export function monthlyCost(usage: MeasuredUsage, d: Deployment, prices: AwsPrices): CostLine[] {
  const polls = (MINUTES_PER_MONTH / d.pollIntervalMinutes) * d.workspaces;
  const reconciles = DAYS_PER_MONTH * d.workspaces;
  const invocations = polls + reconciles;
  const processRuns = (polls / d.workspaces + DAYS_PER_MONTH) * d.processes;
  const changes = d.changesPerProcessPerMonth * d.processes;
  const relisted = changes * rereadsPerChange(d) + DAYS_PER_MONTH * d.processes * d.projectsPerProcess;

  const work = (figures: RunFigures, times: number) => ({
    seconds: billedSeconds(figures, d.lambdaMemoryMb) * times,
    writeUnits: figures.writeUnits * times,
    readUnits: figures.readUnits * times,
  });
  const idleSeconds =
    idleInvocationSeconds(usage.idleRun, d.processes / d.workspaces, d.processConcurrency, d.lambdaMemoryMb) *
    invocations;
  const parts = [
    { ...work(usage.idleRun, processRuns), seconds: idleSeconds },
    work(usage.perChangedProject, changes),
    work(usage.perRelistedProject, relisted),
  ];
  const sum = (key: 'seconds' | 'writeUnits' | 'readUnits') => parts.reduce((n, part) => n + part[key], 0);
  const gbSeconds = ((sum('seconds') + invocations * d.coldStartSeconds) * d.lambdaMemoryMb) / 1024;

  // The event log keeps each change for the retention period; an event item is about the size of the
  // project item written with it, so half the write units of a change, in KB.
  const itemKb = usage.perChangedProject.writeUnits / 2;
  const storedGb =
    (d.processes * d.projectsPerProcess * itemKb * KB +
      changes * (d.eventRetentionDays / DAYS_PER_MONTH) * itemKb * KB) /
    GB;
  const logGb = (invocations * d.logBytesPerInvocation + processRuns * d.logBytesPerProcessRun) / GB;
  const snsPublishes = changes;

  return [
    line(
      'Lambda',
      gbSeconds * prices.lambdaArmGbSecond.usd + invocations * prices.lambdaRequest.usd,
      `${whole(invocations)} invocations, ${whole(gbSeconds)} GB-s`,
    ),
    line(
      'DynamoDB requests',
      sum('writeUnits') * prices.dynamodbWriteUnit.usd + sum('readUnits') * prices.dynamodbReadUnit.usd,
      `${whole(sum('writeUnits'))} WRU, ${whole(sum('readUnits'))} RRU`,
    ),
    line(
      'DynamoDB storage + PITR',
      storedGb * (prices.dynamodbStorageGbMonth.usd + prices.dynamodbPitrGbMonth.usd),
      `${(storedGb * 1024).toFixed(1)} MB`,
    ),
    line(
      'EventBridge Scheduler',
      Math.max(0, invocations - ALWAYS_FREE.schedulerInvocations) * prices.schedulerInvocation.usd,
      `${whole(invocations)} invocations`,
    ),
    line(
      'SNS',
      Math.max(0, snsPublishes - ALWAYS_FREE.snsPublishes) * prices.snsPublish.usd,
      `${whole(snsPublishes)} publishes`,
    ),
    line('KMS', d.kmsKeys * prices.kmsKeyMonth.usd, `${d.kmsKeys} keys`),
    line(
      'Secrets Manager',
      d.workspaces * prices.secretMonth.usd + invocations * prices.secretsApiCall.usd,
      `${d.workspaces} secret, ≤ ${whole(invocations)} reads`,
    ),
    line(
      'CloudWatch metrics, alarms, dashboard',
      d.customMetrics * prices.customMetricMonth.usd +
        d.alarms * prices.alarmMonth.usd +
        d.dashboards * prices.dashboardMonth.usd,
      `${d.customMetrics} metrics, ${d.alarms} alarms, ${d.dashboards} dashboard`,
    ),
    line(
      'CloudWatch Logs',
      logGb * prices.logsIngestedGb.usd +
        logGb * (d.logRetentionDays / DAYS_PER_MONTH) * prices.logsStoredGbMonth.usd,
      `${(logGb * 1024).toFixed(0)} MB`,
    ),
  ];
}

export function totalOf(lines: readonly CostLine[]): number {
  return lines.reduce((sum, entry) => sum + entry.usd, 0);
}

function line(item: string, usd: number, quantity: string): CostLine {
  return { item, usd, quantity };
}

function whole(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
