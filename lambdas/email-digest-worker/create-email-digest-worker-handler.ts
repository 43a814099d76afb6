/**
 * Composition root of an email digest target's worker Lambda, which drains the target's queue
 * (infra/constructs/paced-target-queue.ts): configuration, adapters and middleware, nothing else.
 * A batch of one event is sent as today's email of that event, a batch of several as one digest email,
 * published to the target's own topic; what was not published goes back to the queue (partial batch
 * response).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createSnsEmailTarget, EMAIL_TOPIC_PACING } from '../../shared/adapters/sns/sns-email-target.js';
import { oneOrDigest } from '../../shared/delivery/batch-deliveries.js';
import type { DrainClock } from '../../shared/delivery/drain-to-paced-target.js';
import { createPacedWorker } from '../../shared/delivery/paced-worker.js';
import { renderEmailDigest } from '../../shared/notifications/email-digest.js';
import { renderEmail } from '../../shared/notifications/email-message.js';
import { SERVICE_NAME } from '../../shared/observability/metric-names.js';
import { sleep } from '../../shared/support/backoff.js';
import { loadEmailDigestWorkerConfig } from './worker-config.js';

export interface EmailDigestWorkerDependencies {
  readonly env: Record<string, string | undefined>;
  readonly sns: SNSClient;
  /** @default the real clock */
  readonly clock?: DrainClock;
  readonly random?: () => number;
  readonly logger?: Logger;
}

export function createEmailDigestWorkerHandler(deps: EmailDigestWorkerDependencies) {
  const config = loadEmailDigestWorkerConfig(deps.env);
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAME });
  const target = createSnsEmailTarget({ client: deps.sns, topicArn: config.topicArn });
  const worker = createPacedWorker({
    targetName: 'Email digest',
    plan: (messages) => oneOrDigest(messages, { one: renderEmail, many: renderEmailDigest }),
    target: async () => target,
    pacing: EMAIL_TOPIC_PACING,
    clock: deps.clock ?? { now: Date.now, sleep },
    log: logger,
    random: deps.random,
  });
  return middy((event: unknown, context: Context) => worker(event, context)).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
}
