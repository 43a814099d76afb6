/** Everything one bench run measured, as written to `bench/results/bench-<date>.json`, and the checks derived from it. */
import { totalOf } from '../aws/request-tally.js';
import {
  API_LATENCY,
  AWS_LATENCY,
  FAN_OUT_API_LATENCY,
  MEMORY_SETTINGS,
  NAIVE_PAGE_SIZE,
} from '../bench-model.js';
import type { BundleFigures } from '../scenarios/bundles.js';
import type { ChangeRunResults } from '../scenarios/change-run.js';
import type { ColdStartResults } from '../scenarios/cold-start.js';
import type { DeliveryBurstResults } from '../scenarios/delivery-burst.js';
import type { FanOutResults } from '../scenarios/fan-out.js';
import type { IdleRunResults } from '../scenarios/idle-run.js';
import type { ManyProcessesResults } from '../scenarios/many-processes.js';
import type { MemoryRun } from '../scenarios/memory.js';
import type { TokenRequestResults } from '../scenarios/token-requests.js';
import type { MachineInfo } from '../support/machine.js';
import type { MachineSpeed } from '../support/machine-speed.js';
import { median, medianRatio } from '../support/median.js';
import { coldStartChecks, coldStartFigures } from './cold-start-section.js';
import { deliveryChecks } from './delivery-section.js';
import { idleFigures } from './idle-run-section.js';
import { manyProcessesCheck } from './many-processes-section.js';
import {
  bundleChecks,
  type Check,
  changedCount,
  changeRunChecks,
  check,
  cpuMsPerChangedProject,
  idleChecks,
  memoryCheck,
  requestChecks,
  speedUpCheck,
} from './targets.js';
import { tokenRequestChecks } from './token-requests-section.js';

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The machine, with its load averages when the run started. */
  readonly machine: MachineInfo;
  readonly loadAverageAtEnd: readonly number[];
  /** The reference workload's CPU time before the scenarios and after them: how fast the machine was. */
  readonly machineSpeed: { readonly atStart: MachineSpeed; readonly atEnd: MachineSpeed };
  readonly model: typeof BENCH_MODEL_DESCRIPTION;
  readonly changeRun?: ChangeRunResults;
  readonly idleRun?: IdleRunResults;
  readonly fanOut?: FanOutResults;
  readonly coldStart?: ColdStartResults;
  readonly processes?: ManyProcessesResults;
  readonly tokenRequests?: TokenRequestResults;
  readonly memory?: readonly MemoryRun[];
  readonly bundles?: readonly BundleFigures[];
  readonly deliveryBurst?: DeliveryBurstResults;
  readonly checks: readonly Check[];
}

export const BENCH_MODEL_DESCRIPTION = {
  midaxoApi: `sandbox on loopback + ${API_LATENCY.perRequestMs} ms per listing request + ${API_LATENCY.perProjectMs} ms per project returned`,
  midaxoApiFanOut: `the same sandbox + ${FAN_OUT_API_LATENCY.perRequestMs} ms per listing request, in the fan-out scenario`,
  dynamodb: `DynamoDB Local (in memory) + ${AWS_LATENCY.dynamodbMs} ms per request (SDK middleware)`,
  sns: `in-process stand-in (no local SNS exists): PublishBatch/Publish answered Successful by an SDK middleware + ${AWS_LATENCY.snsMs} ms per request`,
  secretsManager: 'in-process stand-in answering GetSecretValue, no added latency (read once per container)',
  realPoller:
    'the Lambda handler from createPollerHandler, defaults (PAGE_SIZE 100; PublishBatch concurrency 10, DynamoDB batches 4 at once; no email text in messages, as without an email target of each change)',
  naivePoller: `page size ${NAIVE_PAGE_SIZE}; per listed project GetItem, then Publish and PutItem when changed, in sequence`,
} as const;

export interface DerivedFigures {
  readonly changed: number;
  /** The naive run against the real run over the same change (the first round). */
  readonly speedUp: number;
  readonly realWallOverFloor: number;
  readonly naiveWallOverFloor: number;
  readonly cpuMsPerListedProject: number;
  readonly cpuMsPerWorkspaceProject: number;
  /** Medians over every round's real change run. */
  readonly medians: {
    readonly wallMs: number;
    readonly wallOverApiFloor: number;
    readonly cpuMsPerChangedProject: number;
  };
}

export function deriveFigures(run: ChangeRunResults): DerivedFigures {
  const { real, naive } = run;
  const rounds = run.realRounds;
  return {
    changed: changedCount(real.report.summary),
    speedUp: naive.report.wallMs / real.report.wallMs,
    realWallOverFloor: real.report.wallMs / real.apiFloorMs,
    naiveWallOverFloor: naive.report.wallMs / naive.apiFloorMs,
    cpuMsPerListedProject: real.report.cpuMs / Math.max(1, real.report.summary.scanned),
    cpuMsPerWorkspaceProject: real.report.cpuMs / run.projects,
    medians: {
      wallMs: median(rounds.map((round) => round.report.wallMs)),
      wallOverApiFloor: median(rounds.map((round) => round.report.wallMs / round.apiFloorMs)),
      cpuMsPerChangedProject: median(rounds.map((round) => cpuMsPerChangedProject(round.report))),
    },
  };
}

export function checksOf(results: Omit<BenchResults, 'checks'>): Check[] {
  const checks: Check[] = [];
  if (results.changeRun !== undefined) {
    const { real, naive, idle } = results.changeRun;
    checks.push(speedUpCheck(real.report.wallMs, naive.report.wallMs));
    checks.push(...changeRunChecks(deriveFigures(results.changeRun).medians));
    checks.push(
      ...requestChecks({
        scanned: real.report.summary.scanned,
        changed: changedCount(real.report.summary),
        requests: real.report.requests,
      }),
    );
    checks.push(
      ...idleChecks(
        {
          listingRequests: idle.api.listingRequests,
          tokenRequests: idle.api.tokenRequests,
          dynamodbRequests: totalOf(idle.report.requests, 'DynamoDB'),
        },
        'change run, then idle',
      ),
    );
  }
  if (results.idleRun !== undefined) {
    const figures = idleFigures(results.idleRun);
    checks.push(
      ...idleChecks({
        listingRequests: figures.listingRequestsMax,
        tokenRequests: figures.tokenRequestsMax,
        dynamodbRequests: figures.dynamodbRequestsMedian,
      }),
      // The workspace's staleness check (one BatchGetItem per container every 10 minutes) on top.
      check(
        'idle: DynamoDB requests, a run with the staleness check (max)',
        figures.dynamodbRequestsMax,
        '<=',
        3,
      ),
    );
  }
  if (results.deliveryBurst !== undefined) checks.push(...deliveryChecks(results.deliveryBurst));
  if (results.processes !== undefined) checks.push(manyProcessesCheck(results.processes));
  if (results.coldStart !== undefined) checks.push(...coldStartChecks(coldStartFigures(results.coldStart)));
  if (results.tokenRequests !== undefined) checks.push(...tokenRequestChecks(results.tokenRequests));
  // The target holds the poller as deployed (the stack's heap cap), not node's defaults shown beside it.
  const deployed = MEMORY_SETTINGS.find((setting) => setting.target)?.label;
  const [small, large] = (results.memory ?? []).filter((run) => run.setting === deployed);
  if (small !== undefined && large !== undefined) {
    checks.push(memoryCheck(small.medianPeakRssBytes, large.medianPeakRssBytes));
  }
  const poller = results.bundles?.find((bundle) => bundle.entry === 'lambdas/poller/handler.ts');
  const bare = results.bundles?.find((bundle) => bundle.entry === 'bench/bundle/bare-sdk-clients.ts');
  if (poller !== undefined && bare !== undefined) {
    checks.push(
      ...bundleChecks({
        gzipSize: poller.gzipBytes / bare.gzipBytes,
        coldImport: medianRatio(poller.importCpuMsSamples, bare.importCpuMsSamples),
      }),
    );
  }
  return checks;
}
