/**
 * Composition root of a Slack target's worker Lambda, which drains the target's queue
 * (infra/constructs/paced-target-queue.ts): configuration, adapters and middleware, nothing else.
 * A batch of one event is posted as its own message, a batch of several as one digest, no faster than
 * Slack takes them; what was not posted goes back to the queue (partial batch response). The secret
 * cache lives as long as the container, so warm invocations read no secret.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createSlackWebhookUrlReader } from '../../shared/adapters/slack/slack-webhook-secret.js';
import { createSlackWebhookTarget, SLACK_PACING } from '../../shared/adapters/slack/slack-webhook-target.js';
import { oneOrDigest } from '../../shared/delivery/batch-deliveries.js';
import type { DrainClock } from '../../shared/delivery/drain-to-paced-target.js';
import { createPacedWorker } from '../../shared/delivery/paced-worker.js';
import { renderSlackDigest } from '../../shared/notifications/slack-digest.js';
import { renderSlackMessage } from '../../shared/notifications/slack-message.js';
import { SERVICE_NAME } from '../../shared/observability/metric-names.js';
import { sleep } from '../../shared/support/backoff.js';
import { loadSlackForwarderConfig } from './forwarder-config.js';

export interface SlackForwarderDependencies {
  readonly env: Record<string, string | undefined>;
  readonly secretsManager: SecretsManagerClient;
  readonly fetch?: typeof fetch;
  /** @default the real clock */
  readonly clock?: DrainClock;
  readonly random?: () => number;
  readonly logger?: Logger;
}

export function createSlackForwarderHandler(deps: SlackForwarderDependencies) {
  const config = loadSlackForwarderConfig(deps.env);
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAME });
  const clock = deps.clock ?? { now: Date.now, sleep };
  const target = createSlackWebhookTarget({
    webhookUrl: createSlackWebhookUrlReader({
      client: deps.secretsManager,
      secretId: config.webhookSecretId,
    }),
    fetch: deps.fetch,
    now: clock.now,
  });
  const worker = createPacedWorker({
    targetName: 'Slack',
    plan: (messages) => oneOrDigest(messages, { one: renderSlackMessage, many: renderSlackDigest }),
    target: async () => target,
    pacing: SLACK_PACING,
    clock,
    log: logger,
    random: deps.random,
  });
  return middy((event: unknown, context: Context) => worker(event, context)).use(
    injectLambdaContext(logger, { resetKeys: true }),
  );
}
