/**
 * The messages of an SQS-triggered invocation, and the partial batch response: each message is
 * processed on its own, and only the ones that failed are named in `batchItemFailures`, so SQS
 * deletes the rest and delivers just those again (the event source mapping must enable
 * ReportBatchItemFailures, as the construct does).
 */
import type { SQSBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { describeIssues } from '../../shared/config/config-error.js';

const sqsEventSchema = z.object({
  Records: z.array(
    z.object({
      messageId: z.string({ error: 'expected the SQS message id' }).min(1, 'expected the SQS message id'),
      body: z.string({ error: 'expected the SQS message body' }),
    }),
    { error: 'expected an SQS event with Records: this Lambda is triggered by an SQS queue' },
  ),
});

export type QueuedMessage = Readonly<z.infer<typeof sqsEventSchema>['Records'][number]>;

export class InvalidSqsEventError extends Error {
  override readonly name = 'InvalidSqsEventError';
}

export function queuedMessagesOf(event: unknown): QueuedMessage[] {
  const parsed = sqsEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidSqsEventError(`Not an SQS event:\n${describeIssues(parsed.error.issues, 'event')}`);
  }
  return parsed.data.Records;
}

/** Processes the messages one after another; a message whose processing throws is reported, not fatal. */
export async function processEachMessage(
  messages: readonly QueuedMessage[],
  process: (message: QueuedMessage) => Promise<void>,
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const message of messages) {
    try {
      await process(message);
    } catch {
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
}
