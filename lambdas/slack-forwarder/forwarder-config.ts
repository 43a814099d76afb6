/**
 * The Slack worker's configuration, read once from the environment at init and validated with one
 * schema. The webhook URL itself is never configuration: only the id of the secret that holds it.
 */
import { z } from 'zod';
import { parseEnvironment } from '../../shared/config/config-error.js';

const envSchema = z.object({
  SLACK_WEBHOOK_SECRET_ID: z
    .string({ error: 'expected the name or ARN of the Secrets Manager secret holding the webhook URL' })
    .min(1, 'expected the name or ARN of the Secrets Manager secret holding the webhook URL')
    .refine((value) => !/^https?:\/\//i.test(value), {
      error: 'expected a secret name or ARN, not a URL: store the webhook URL in the secret',
    }),
});

export interface SlackForwarderConfig {
  readonly webhookSecretId: string;
}

export function loadSlackForwarderConfig(env: Record<string, string | undefined>): SlackForwarderConfig {
  const e = parseEnvironment(envSchema, env, 'Slack forwarder');
  return { webhookSecretId: e.SLACK_WEBHOOK_SECRET_ID };
}
