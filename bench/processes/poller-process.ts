/**
 * Child process: hosts the pollers, and nothing else the bench does, so the CPU time and peak memory it
 * reports are the poller's. Each (implementation, table) pair keeps its poller between runs, the way a
 * warm Lambda container keeps its clients, cached secret and Midaxo token.
 */
import { createHash } from 'node:crypto';
import { getHeapStatistics } from 'node:v8';
import * as z from '../../shared/support/schema.js';
import { createBenchAwsClients } from '../aws/bench-aws-clients.js';
import { createNaivePoller } from '../naive/naive-poller.js';
import { type BenchPoller, midaxoSecrets, pollerChildShape } from '../poller/poller-target.js';
import { createRealPoller } from '../poller/real-poller.js';
import { runProfilerFromEnv } from '../support/cpu-profile.js';
import { watchHeapAfterMajorGc } from '../support/heap-after-gc.js';
import { measure, peakRssBytes } from '../support/measure.js';
import { createOffsetClock } from '../support/offset-clock.js';
import type { Implementation, PollerInit, PollerOperations } from './poller-remote.js';
import { serveOperations } from './rpc.js';

const initSchema = z.object({
  ...pollerChildShape,
  keepMessages: z.boolean(),
}) satisfies z.ZodMiniType<PollerInit>;

const init = initSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const clock = createOffsetClock(init.clockOffsetMs);
const aws = createBenchAwsClients({
  dynamoDbEndpoint: init.dynamoDbEndpoint,
  latency: init.awsLatency,
  secrets: midaxoSecrets(init.midaxo),
  keepMessages: init.keepMessages,
});
const pollers = new Map<string, BenchPoller>();
const heapAfterGc = watchHeapAfterMajorGc();
const profiler = runProfilerFromEnv();
let runsProfiled = 0;

async function pollerFor(implementation: Implementation, tableName: string): Promise<BenchPoller> {
  const key = `${implementation}:${tableName}`;
  let poller = pollers.get(key);
  if (poller === undefined) {
    const target = { midaxo: init.midaxo, processId: init.processId, tableName, aws, clock };
    poller = implementation === 'real' ? await createRealPoller(target) : createNaivePoller(target);
    pollers.set(key, poller);
  }
  return poller;
}

function digestOf(messages: readonly string[]): string | null {
  if (!init.keepMessages) return null;
  const hash = createHash('sha256');
  for (const message of [...messages].sort()) hash.update(message).update('\n');
  return hash.digest('hex');
}

const operations: PollerOperations = {
  async run({ implementation, tableName }) {
    const poller = await pollerFor(implementation, tableName);
    aws.tally.reset();
    aws.capacity.reset();
    aws.takeMessages();
    heapAfterGc.reset();
    const {
      result: summary,
      wallMs,
      cpuMs,
    } = await measure(() =>
      profiler.profile(
        () => poller.run(),
        (done) => `run-${++runsProfiled}-${implementation}-published-${done.published}`,
      ),
    );
    return {
      implementation,
      summary,
      wallMs,
      cpuMs,
      requests: aws.tally.counts(),
      timings: aws.tally.timings(),
      capacityUnits: aws.capacity.units(),
      busyMs: { dynamodb: aws.tally.busyMs('DynamoDB'), sns: aws.tally.busyMs('SNS') },
      messagesDigest: digestOf(aws.takeMessages()),
      peakRssBytes: peakRssBytes(),
      peakHeapAfterMajorGcBytes: heapAfterGc.peakBytes(),
      heapSizeLimitBytes: getHeapStatistics().heap_size_limit,
    };
  },
  advanceClock: ({ ms }) => clock.advance(ms),
};

serveOperations(operations, null);
