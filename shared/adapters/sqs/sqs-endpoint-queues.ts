/**
 * A deployed webhook endpoint's two queues, as the worker uses them: ChangeMessageVisibility to hold an
 * event back until its next attempt (the retry schedule outlives the queue's visibility timeout), and
 * SendMessage to put an event into the dead-letter queue itself, with the reason beside it, when the
 * schedule has run out or the endpoint is disabled. Ten messages per call, SQS's batch limit.
 * Layer: adapter.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, EndpointQueues, WaitingMessage } from '../../delivery/deliver-webhook-batch.js';
import { chunksOf } from '../../support/chunks-of.js';

const SQS_BATCH = 10;
export const DEAD_LETTER_REASON_ATTRIBUTE = 'deadLetterReason';

export interface SqsEndpointQueuesOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

export function createSqsEndpointQueues(options: SqsEndpointQueuesOptions): EndpointQueues {
  const { client } = options;
  return {
    async waitBeforeRetry(messages: readonly WaitingMessage[]) {
      // A change that fails leaves the message to the queue's visibility timeout: a retry a little early.
      for (const chunk of chunksOf(messages, SQS_BATCH)) {
        await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: chunk.map((m, i) => ({
              Id: String(i),
              ReceiptHandle: m.receiptHandle,
              VisibilityTimeout: m.afterSeconds,
            })),
          }),
        );
      }
    },
    async deadLetter(messages: readonly DeadLetter[]) {
      const copied = new Set<string>();
      for (const chunk of chunksOf(messages, SQS_BATCH)) {
        const { Successful } = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: options.deadLetterQueueUrl,
            Entries: chunk.map((m, i) => ({
              Id: String(i),
              MessageBody: m.body,
              MessageAttributes: {
                [DEAD_LETTER_REASON_ATTRIBUTE]: { DataType: 'String', StringValue: m.reason },
              },
            })),
          }),
        );
        for (const entry of Successful ?? []) {
          const message = chunk[Number(entry.Id)];
          if (message !== undefined) copied.add(message.messageId);
        }
      }
      return copied;
    },
  };
}
