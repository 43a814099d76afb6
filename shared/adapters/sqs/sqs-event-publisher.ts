/**
 * EventPublisher straight into the delivery queues of named targets, for a replay to some endpoints
 * only: each event's JSON, byte for byte what the topic's raw subscription puts there, so the target's
 * worker delivers it under the same id. Other subscribers of the topic get nothing.
 * Layer: adapter.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ChangeEvent } from '../../core/change-event.js';
import { eventJson } from '../../core/event-json.js';
import type { EventPublisher } from '../../core/ports.js';
import { chunksOf } from '../../support/chunks-of.js';

const SQS_BATCH = 10;

export interface SqsEventPublisherOptions {
  readonly client: SQSClient;
  readonly queueUrls: readonly string[];
}

export function createSqsEventPublisher(options: SqsEventPublisherOptions): EventPublisher {
  const send = async (queueUrl: string, events: readonly ChangeEvent[]) => {
    for (const chunk of chunksOf(events, SQS_BATCH)) {
      const { Failed } = await options.client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((event, i) => ({ Id: String(i), MessageBody: eventJson(event) })),
        }),
      );
      if (Failed !== undefined && Failed.length > 0) {
        const codes = [...new Set(Failed.map((f) => f.Code ?? 'unknown'))].join(', ');
        throw new Error(`${Failed.length} of ${chunk.length} events not queued for replay (${codes})`);
      }
    }
  };
  return {
    async publish(events) {
      if (events.length === 0) return;
      await Promise.all(options.queueUrls.map((queueUrl) => send(queueUrl, events)));
    },
  };
}
