/**
 * A queue that keeps what was not delivered (runs, invocations, notifications) for an operator to read:
 * encrypted, TLS only, kept 14 days unless told otherwise, and with no dead-letter queue of its own, for
 * the reason given.
 * Layer: infrastructure.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export function createHoldingQueue(
  scope: Construct,
  id: string,
  whyNoDeadLetterQueue: string,
  retentionPeriod: Duration = Duration.days(14),
): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod,
  });
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: whyNoDeadLetterQueue });
  return queue;
}
