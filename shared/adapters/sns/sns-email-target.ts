/**
 * An email digest target's own SNS topic as a paced target (shared/delivery/drain-to-paced-target.ts):
 * each send is one Publish of a rendered email, its Subject as the email's subject line and its body
 * as the text. The topic's only subscription is the target's address, so SNS stays the email transport
 * and nobody has to set up SES.
 *  - accepted: delivered;
 *  - throttled, a fault on AWS's side, no answer: retry later (transient-aws-error.ts);
 *  - anything else (denied, a missing topic, a refused Subject) is rejected: it fails the same way
 *    until someone fixes it, and its events go back to the queue meanwhile.
 * Only the error's name is reported: AWS's message may quote the request.
 * Layer: adapter.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { PacedTarget, PacingOptions, SendOutcome } from '../../delivery/drain-to-paced-target.js';
import type { EmailMessage } from '../../notifications/email-message.js';
import { errorCode } from '../../support/untrusted-text.js';
import { isTransientAwsError } from '../aws/transient-aws-error.js';

/** One publish per batch: no pacing between sends, short pauses when SNS throttles. */
export const EMAIL_TOPIC_PACING: PacingOptions = {
  minIntervalMs: 0,
  retryPause: {
    backoff: { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 500, maxDelayMs: 5_000 },
    maxPauseMs: 5_000,
  },
  sendTimeoutMs: 10_000,
};

export interface SnsEmailTargetOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

export function createSnsEmailTarget(options: SnsEmailTargetOptions): PacedTarget<EmailMessage> {
  return {
    send: async (email): Promise<SendOutcome> => {
      try {
        await options.client.send(
          new PublishCommand({ TopicArn: options.topicArn, Subject: email.subject, Message: email.body }),
        );
        return { kind: 'delivered' };
      } catch (e: unknown) {
        const name = errorCode(e instanceof Error ? e.name : undefined) ?? 'unknown error';
        if (isTransientAwsError(e)) return { kind: 'retry', reason: name };
        return { kind: 'rejected', reason: `SNS refused the email (${name})` };
      }
    },
  };
}
