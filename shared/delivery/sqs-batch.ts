/**
 * The messages of the SQS batch a worker Lambda is invoked with, validated: anything but an SQS event
 * fails the invocation with a message naming what was missing (the whole batch then returns to the
 * queue, as Lambda does for a thrown error).
 * Layer: delivery.
 */
import { z } from 'zod';

const sqsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:sqs', {
          error: 'expected "aws:sqs": this Lambda drains an SQS queue',
        }),
        messageId: z.string({ error: 'expected the SQS message id' }).min(1, 'expected the SQS message id'),
        body: z.string({ error: 'expected the SQS message body' }),
        receiptHandle: z.string().min(1).optional(),
        attributes: z
          .object({
            SentTimestamp: z
              .string()
              .regex(/^\d{1,15}$/)
              .optional(),
          })
          .optional(),
      }),
      { error: 'expected an SQS event with Records' },
    )
    .min(1, 'expected at least one record'),
});

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  /** What ChangeMessageVisibility needs to hide this receive of the message for longer. */
  readonly receiptHandle?: string;
  /** When the message entered the queue (ms since the epoch), from SQS's `SentTimestamp`. */
  readonly sentAt?: number;
}

export class InvalidSqsEventError extends Error {
  override readonly name = 'InvalidSqsEventError';
}

export function sqsMessagesOf(event: unknown): QueuedMessage[] {
  const parsed = sqsEventSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`)
      .join('; ');
    throw new InvalidSqsEventError(`Not an SQS event: ${problems}`);
  }
  return parsed.data.Records.map(({ messageId, body, receiptHandle, attributes }) => ({
    messageId,
    body,
    ...(receiptHandle === undefined ? {} : { receiptHandle }),
    ...(attributes?.SentTimestamp === undefined ? {} : { sentAt: Number(attributes.SentTimestamp) }),
  }));
}
