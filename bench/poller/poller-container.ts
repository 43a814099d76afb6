/**
 * A poller container as a cold-start child builds it on its first run: its argument validated, the
 * bench's AWS clients, the real poller over a workspace list the bench stored beforehand. The child
 * imports it bundled as the stack bundles the Lambda (one module, as deployed; under tsx every module
 * of the poller would go through tsx's loader, which costs more CPU than the poller's own import).
 */
import * as z from '../../shared/support/schema.js';
import { type BenchAwsClients, createBenchAwsClients } from '../aws/bench-aws-clients.js';
import type { ColdStartInit } from '../processes/cold-start-remote.js';
import { createOffsetClock, type OffsetClock } from '../support/offset-clock.js';
import { type BenchPoller, midaxoSecrets, nonEmpty, pollerChildShape } from './poller-target.js';
import { realPollerOf } from './real-poller.js';

// The child's argument also says where this bundle is, which only the child reads.
const initSchema = z.object({
  ...pollerChildShape,
  tableName: nonEmpty(),
  workspacesVersion: nonEmpty(),
}) satisfies z.ZodMiniType<Omit<ColdStartInit, 'containerBundleUrl'>>;

export interface PollerContainer {
  readonly aws: BenchAwsClients;
  readonly clock: OffsetClock;
  readonly poller: BenchPoller;
}

export function startPollerContainer(argument: unknown): PollerContainer {
  const init = initSchema.parse(argument);
  const clock = createOffsetClock(init.clockOffsetMs);
  const aws = createBenchAwsClients({
    dynamoDbEndpoint: init.dynamoDbEndpoint,
    latency: init.awsLatency,
    secrets: midaxoSecrets(init.midaxo),
    keepMessages: false,
  });
  const target = { midaxo: init.midaxo, processId: init.processId, tableName: init.tableName, aws, clock };
  return { aws, clock, poller: realPollerOf(target, init.workspacesVersion) };
}
