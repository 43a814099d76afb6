/**
 * The message bodies of the SNS notifications a Lambda invocation carries, validated: anything but
 * an SNS event fails the invocation with a message naming what was missing.
 */
import { z } from 'zod';

const snsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns', {
          error: 'expected "aws:sns": this Lambda is subscribed to an SNS topic',
        }),
        Sns: z.object({
          MessageId: z.string({ error: 'expected the SNS message id' }),
          Message: z.string({ error: 'expected the SNS message body' }),
        }),
      }),
      { error: 'expected an SNS event with Records' },
    )
    .min(1, 'expected at least one record'),
});

export interface SnsNotification {
  readonly messageId: string;
  readonly body: string;
}

export class InvalidSnsEventError extends Error {
  override readonly name = 'InvalidSnsEventError';
}

export function snsNotificationsOf(event: unknown): SnsNotification[] {
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`)
      .join('; ');
    throw new InvalidSnsEventError(`Not an SNS event: ${problems}`);
  }
  return parsed.data.Records.map((record) => ({ messageId: record.Sns.MessageId, body: record.Sns.Message }));
}
