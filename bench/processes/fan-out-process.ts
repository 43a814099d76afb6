/**
 * Child process: the poller deployed for many workspaces. Each workspace has its own "container" (the
 * real handler from createPollerHandler with its own AWS clients, secret cache and Midaxo token), as
 * concurrent invocations of a Lambda function get; one more container is invoked for every workspace
 * at once. Containers stay warm between cycles.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { createPollerHandler } from '../../lambdas/poller/create-poller-handler.js';
import type { RunSummary } from '../../shared/core/poll-run.js';
import { lambdaContext } from '../../test/lambdas/poller/lambda-context.js';
import { createLocalDynamoDbClient } from '../../test/support/dynamodb-test-table.js';
import { type BenchAwsClients, createBenchAwsClients } from '../aws/bench-aws-clients.js';
import { mergeCounts } from '../aws/request-tally.js';
import { deployFanOut } from '../poller/fan-out-deployment.js';
import { awsLatencySchema, midaxoAccessSchema, midaxoSecrets } from '../poller/poller-target.js';
import { BenchRunError } from '../poller/real-poller.js';
import { measure } from '../support/measure.js';
import { createOffsetClock } from '../support/offset-clock.js';
import type { CycleReport, FanOutInit, FanOutOperations, InvocationReport } from './fan-out-remote.js';
import { serveOperations } from './rpc.js';

const initSchema = z.object({
  midaxo: midaxoAccessSchema,
  dynamoDbEndpoint: z.url(),
  tableName: z.string().min(1),
  workspaces: z.array(
    z.object({ name: z.string(), secretId: z.string(), processIds: z.array(z.string()).min(1) }),
  ),
  clockOffsetMs: z.number(),
  awsLatency: awsLatencySchema,
  processConcurrency: z.number().int().positive().optional(),
}) satisfies z.ZodType<FanOutInit>;

const init = initSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const clock = createOffsetClock(init.clockOffsetMs);
const deployer = createLocalDynamoDbClient(init.dynamoDbEndpoint);
const env = {
  ...(await deployFanOut(deployer, init.midaxo, init.workspaces, init.tableName)),
  ...(init.processConcurrency === undefined ? {} : { PROCESS_CONCURRENCY: String(init.processConcurrency) }),
};
deployer.destroy();

interface Container {
  readonly aws: BenchAwsClients;
  readonly invoke: (payload: Record<string, unknown>) => Promise<InvocationReport>;
}

function createContainer(): Container {
  const aws = createBenchAwsClients({
    dynamoDbEndpoint: init.dynamoDbEndpoint,
    latency: init.awsLatency,
    secrets: midaxoSecrets(init.midaxo),
    keepMessages: false,
  });
  const handler = createPollerHandler({
    env,
    dynamodb: aws.dynamodb,
    sns: aws.sns,
    secretsManager: aws.secretsManager,
    clock,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  return {
    aws,
    async invoke(payload) {
      const started = performance.now();
      const summary = (await handler(payload, lambdaContext(900_000)).catch((error: unknown) => {
        throw new BenchRunError(`The invocation ${JSON.stringify(payload)} failed: ${String(error)}`);
      })) as RunSummary;
      return { payload, wallMs: performance.now() - started, processes: summary.processes.length };
    },
  };
}

const perWorkspace = new Map(init.workspaces.map((workspace) => [workspace.name, createContainer()]));
const forEverything = createContainer();

async function cycle(
  containers: readonly Container[],
  invocations: () => Promise<InvocationReport[]>,
): Promise<CycleReport> {
  for (const container of containers) container.aws.tally.reset();
  const { result, wallMs, cpuMs } = await measure(invocations);
  const requests = mergeCounts(containers.map((container) => container.aws.tally.counts()));
  return { wallMs, cpuMs, invocations: result, requests };
}

const operations: FanOutOperations = {
  perWorkspace: () =>
    cycle([...perWorkspace.values()], () =>
      Promise.all(
        [...perWorkspace].map(([name, container]) => container.invoke({ mode: 'poll', workspaces: [name] })),
      ),
    ),
  oneInvocation: ({ payload }) => cycle([forEverything], async () => [await forEverything.invoke(payload)]),
  advanceClock: ({ ms }) => clock.advance(ms),
};

serveOperations(operations, null);
