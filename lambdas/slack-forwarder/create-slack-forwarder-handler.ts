/**
 * Composition root of the Slack forwarder Lambda, subscribed to the change topic: configuration,
 * adapters and middleware, nothing else. The secret cache lives as long as the container, so warm
 * invocations read no secret.
 *
 * A failed post fails the invocation. SNS invokes Lambda asynchronously: Lambda retries the event
 * (twice by default) and then sends it to the function's failure destination, and SNS sends what it
 * could not hand to Lambda at all to the subscription's dead-letter queue; the stack points both at
 * one queue, so a message Slack never took is kept there.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createSlackWebhookPoster } from '../../shared/adapters/slack/slack-webhook-poster.js';
import { createSlackWebhookUrlReader } from '../../shared/adapters/slack/slack-webhook-secret.js';
import { type ForwardedEvent, forwardToSlack } from '../../shared/notifications/forward-to-slack.js';
import { SERVICE_NAME } from '../../shared/observability/metric-names.js';
import type { Sleep } from '../../shared/support/backoff.js';
import { loadSlackForwarderConfig } from './forwarder-config.js';
import { snsNotificationsOf } from './sns-records.js';

/** Left of the invocation's time after the retry budget, to log and fail cleanly before the timeout. */
const TIMEOUT_MARGIN_MS = 2_000;

export interface SlackForwarderDependencies {
  readonly env: Record<string, string | undefined>;
  readonly secretsManager: SecretsManagerClient;
  readonly fetch?: typeof fetch;
  readonly sleep?: Sleep;
  readonly logger?: Logger;
}

export function createSlackForwarderHandler(deps: SlackForwarderDependencies) {
  const config = loadSlackForwarderConfig(deps.env);
  const logger = deps.logger ?? new Logger({ serviceName: SERVICE_NAME });
  const webhookUrl = createSlackWebhookUrlReader({
    client: deps.secretsManager,
    secretId: config.webhookSecretId,
  });

  const forward = async (event: unknown, context: Context): Promise<ForwardedEvent[]> => {
    const notifications = snsNotificationsOf(event);
    const poster = createSlackWebhookPoster({
      webhookUrl,
      fetch: deps.fetch,
      sleep: deps.sleep,
      budgetMs: Math.max(
        1_000,
        Math.min(config.retryBudgetMs, context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS),
      ),
      onRetry: (notice) => logger.warn('Slack did not accept the message; retrying', { ...notice }),
    });
    try {
      const forwarded = await forwardToSlack(
        notifications.map((notification) => notification.body),
        poster,
      );
      for (const [index, posted] of forwarded.entries()) {
        logger.info('Posted change event to Slack', {
          ...posted,
          snsMessageId: notifications[index]?.messageId,
        });
      }
      return forwarded;
    } catch (error: unknown) {
      logger.error('Change event not posted to Slack; failing the invocation so it is retried', {
        snsMessageIds: notifications.map((notification) => notification.messageId),
        error,
      });
      throw error;
    }
  };

  return middy(forward).use(injectLambdaContext(logger, { resetKeys: true }));
}
