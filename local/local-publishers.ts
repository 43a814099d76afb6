/**
 * Where the local mode's events go: always stdout (text or JSON lines), plus the webhooks and the SNS topic
 * when asked. The SNS client is loaded only when a topic is given, so the demo never touches AWS code.
 * Webhook deliveries a target did not take wait in a queue in the state file, so one broken receiver
 * neither fails the cycle nor makes the others receive events twice.
 */

import { SDK_CLIENT_OPTIONS } from '../shared/adapters/aws/sdk-client-options.js';
import { openSqliteWebhookQueue } from '../shared/adapters/sqlite/sqlite-webhook-queue.js';
import {
  createStdoutEventPublisher,
  type TextSink,
} from '../shared/adapters/stdout/stdout-event-publisher.js';
import {
  createWebhookEventPublisher,
  type WebhookEventPublisher,
  type WebhookNotice,
} from '../shared/adapters/webhook/webhook-event-publisher.js';
import type { EventPublisher } from '../shared/core/ports.js';
import type { Sleep } from '../shared/support/backoff.js';
import { createFanOutPublisher } from './fan-out-publisher.js';
import type { LocalOptions } from './local-options.js';

export interface LocalPublishers {
  readonly publisher: EventPublisher;
  /** Present with --webhook: retries what a receiver did not take, and tells how much waits. */
  readonly webhooks?: WebhookEventPublisher;
  close(): void;
}

export interface LocalPublishersOptions {
  readonly options: LocalOptions;
  /** The state file, which also keeps the webhook delivery queue. */
  readonly statePath: string;
  readonly stdout: TextSink;
  readonly fetch: typeof globalThis.fetch;
  readonly sleep: Sleep;
  /** Called before events are printed, e.g. to erase a progress line on the same terminal. */
  readonly beforePrint?: () => void;
  readonly onWebhookNotice?: (notice: WebhookNotice) => void;
}

export async function createLocalPublishers(setup: LocalPublishersOptions): Promise<LocalPublishers> {
  const { options } = setup;
  const stdout = createStdoutEventPublisher({ format: options.json ? 'json' : 'text', output: setup.stdout });
  const publishers: EventPublisher[] = [
    {
      publish(events) {
        if (events.length > 0) setup.beforePrint?.();
        return stdout.publish(events);
      },
    },
  ];
  const closers: (() => void)[] = [];

  let webhooks: WebhookEventPublisher | undefined;
  if (options.webhooks !== undefined) {
    const queue = openSqliteWebhookQueue(setup.statePath);
    closers.push(() => queue.close());
    webhooks = createWebhookEventPublisher({
      urls: options.webhooks.urls,
      secret: options.webhooks.secret,
      queue,
      fetch: setup.fetch,
      onNotice: setup.onWebhookNotice,
    });
    publishers.push(webhooks);
  }
  if (options.snsTopicArn !== undefined) {
    const [{ SNSClient }, { createSnsEventPublisher }] = await Promise.all([
      import('@aws-sdk/client-sns'),
      import('../shared/adapters/sns/sns-event-publisher.js'),
    ]);
    const region = options.snsTopicArn.split(':')[3];
    const client = new SNSClient({ ...SDK_CLIENT_OPTIONS, region });
    closers.push(() => client.destroy());
    publishers.push(createSnsEventPublisher({ client, topicArn: options.snsTopicArn, sleep: setup.sleep }));
  }

  return {
    publisher: publishers.length === 1 && publishers[0] ? publishers[0] : createFanOutPublisher(publishers),
    webhooks,
    close: () => {
      for (const close of closers) close();
    },
  };
}
