/**
 * The email digest worker's configuration, read once from the environment at init and validated with
 * one schema: the ARN of the target's own topic, whose only subscription is the target's address.
 */
import { z } from 'zod';
import { SNS_TOPIC_ARN } from '../../shared/config/aws-arn.js';
import { parseEnvironment } from '../../shared/config/config-error.js';

const envSchema = z.object({
  DIGEST_TOPIC_ARN: z
    .string({ error: "expected the ARN of the email target's own SNS topic" })
    .regex(
      SNS_TOPIC_ARN,
      "expected the ARN of the email target's own SNS topic (arn:aws:sns:<region>:<account>:<name>)",
    ),
});

export interface EmailDigestWorkerConfig {
  readonly topicArn: string;
}

export function loadEmailDigestWorkerConfig(
  env: Record<string, string | undefined>,
): EmailDigestWorkerConfig {
  const e = parseEnvironment(envSchema, env, 'email digest worker');
  return { topicArn: e.DIGEST_TOPIC_ARN };
}
