/**
 * Composition root of a deployed webhook endpoint's worker Lambda, fed by the endpoint's queue (an SQS
 * event source mapping that reports batch item failures): configuration, adapters and middleware,
 * nothing else. The delivery itself is shared/delivery/deliver-webhook-batch.ts.
 *
 * The signing secret is read through a cache of five minutes, so a rotated secret is in use within
 * minutes; during the rotation's overlap both keys sign (webhook-secret-value.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createDynamoDbWebhookEndpointState } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-state.js';
import { createSecretStringReader } from '../../shared/adapters/secrets/secret-string-reader.js';
import { createSqsEndpointQueues } from '../../shared/adapters/sqs/sqs-endpoint-queues.js';
import { signerOfSecret } from '../../shared/adapters/webhook/webhook-secret-value.js';
import { ConfigError } from '../../shared/config/config-error.js';
import { deliverWebhookBatch, type WebhookBatchReport } from '../../shared/delivery/deliver-webhook-batch.js';
import type { DrainClock } from '../../shared/delivery/drain-to-paced-target.js';
import { sendTimeLeft } from '../../shared/delivery/paced-worker.js';
import { sqsMessagesOf } from '../../shared/delivery/sqs-batch.js';
import {
  METRICS_NAMESPACE,
  SERVICE_NAME,
  WEBHOOK_ENDPOINT_DIMENSION,
  WebhookMetricName,
} from '../../shared/observability/metric-names.js';
import { sleep } from '../../shared/support/backoff.js';
import { loadWebhookWorkerConfig } from './worker-config.js';

/** How long a read secret is used before it is read again: a rotation takes effect within this. */
export const SECRET_MAX_AGE_SECONDS = 300;

export interface WebhookWorkerDependencies {
  readonly env: Record<string, string | undefined>;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly secretsManager: SecretsManagerClient;
  readonly fetch?: typeof fetch;
  readonly clock?: DrainClock;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

export function createWebhookWorkerHandler(deps: WebhookWorkerDependencies) {
  const config = loadWebhookWorkerConfig(deps.env);
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAME });
  const metrics = deps.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  metrics.setDefaultDimensions({ [WEBHOOK_ENDPOINT_DIMENSION]: config.name });
  const clock = deps.clock ?? { now: Date.now, sleep };
  const readSecret = createSecretStringReader({
    client: deps.secretsManager,
    maxAgeSeconds: SECRET_MAX_AGE_SECONDS,
    now: clock.now,
  });
  const state = createDynamoDbWebhookEndpointState({
    client: deps.dynamodb,
    tableName: config.stateTableName,
    endpoint: config.name,
  });
  const queues = createSqsEndpointQueues({
    client: deps.sqs,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
  });
  const signer = async () => {
    const value = await readSecret(config.secretId);
    if (value === undefined || value.trim() === '') {
      throw new ConfigError(`Secret ${config.secretId} holds no signing key yet (see docs/webhooks.md)`);
    }
    return signerOfSecret(value, config.secretId, clock.now());
  };

  const deliver = async (event: unknown, context: Context): Promise<WebhookBatchReport> => {
    const report = await deliverWebhookBatch(sqsMessagesOf(event), {
      endpoint: config,
      signer,
      state,
      queues,
      fetch: deps.fetch ?? globalThis.fetch,
      clock,
      // After the last send come the state, visibility and dead-letter calls, and the answer.
      remainingTimeMs: sendTimeLeft(context),
    });
    record(report);
    return report;
  };

  function record(report: WebhookBatchReport): void {
    metrics.addMetric(WebhookMetricName.Delivered, MetricUnit.Count, report.delivered);
    metrics.addMetric(WebhookMetricName.DeadLettered, MetricUnit.Count, report.deadLettered);
    metrics.addMetric(WebhookMetricName.EndpointDisabled, MetricUnit.Count, report.disabled ? 1 : 0);
    const { batchItemFailures, ...figures } = report;
    const summary = { endpoint: config.name, ...figures, stillQueued: batchItemFailures.length };
    if (report.disabled?.now) {
      logger.error(
        'Webhook endpoint answered 410 Gone and is disabled; its events go to the dead-letter queue',
        summary,
      );
    } else if (report.disabled) {
      logger.warn('Webhook endpoint is disabled; events moved to the dead-letter queue', summary);
    } else if (report.firstFailure !== undefined) {
      logger.warn('Webhook endpoint did not take every event; they wait for their next attempt', summary);
    } else {
      logger.info('Webhook batch delivered', summary);
    }
  }

  return middy(deliver)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { throwOnEmptyMetrics: false }));
}
