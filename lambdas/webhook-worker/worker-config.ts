/**
 * The webhook worker's configuration, one deployed endpoint per function, read once at init and validated
 * with one schema. The signing secret is never configuration: only the id of the secret that holds it.
 */
import { z } from 'zod';
import { parseEnvironment } from '../../shared/config/config-error.js';
import { DEPLOYED_URL_EXPECTATION, sendableUrl } from '../../shared/support/secure-url.js';

const SQS_QUEUE_URL = /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d{12}\/[A-Za-z0-9_-]{1,80}$/;

const wholeNumber = (min: number, max: number) => {
  const message = `expected a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
};
const queueUrl = (which: string) =>
  z.string({ error: `expected the URL of ${which}` }).regex(SQS_QUEUE_URL, `expected the URL of ${which}`);

const envSchema = z.object({
  WEBHOOK_NAME: z.string({ error: 'expected the webhook target name' }).regex(/^[A-Za-z0-9_-]{1,64}$/, {
    error: 'expected 1-64 letters, digits, "-" or "_"',
  }),
  // Deployed: http to localhost would be the Lambda itself, so https only, as the stack's config has it.
  WEBHOOK_URL: z.string({ error: DEPLOYED_URL_EXPECTATION }).refine(...sendableUrl({ loopback: false })),
  WEBHOOK_SECRET_ID: z
    .string({ error: 'expected the name or ARN of the secret holding the signing key' })
    .min(1, 'expected the name or ARN of the secret holding the signing key'),
  WEBHOOK_MAX_PER_SECOND: wholeNumber(1, 1000),
  WEBHOOK_CONCURRENCY: wholeNumber(2, 1000),
  WEBHOOK_TIMEOUT_SECONDS: wholeNumber(1, 60).default(10),
  QUEUE_URL: queueUrl("the endpoint's delivery queue"),
  DEAD_LETTER_QUEUE_URL: queueUrl("the endpoint's dead-letter queue"),
  STATE_TABLE_NAME: z.string({ error: 'expected the DynamoDB state table name' }).min(1),
});

export interface WebhookWorkerConfig {
  readonly name: string;
  readonly url: URL;
  readonly secretId: string;
  /** Sends per second to the endpoint, across every concurrent invocation. */
  readonly maxPerSecond: number;
  /** The event source mapping's maximum concurrency: each invocation paces itself to its share. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly stateTableName: string;
}

export function loadWebhookWorkerConfig(env: Record<string, string | undefined>): WebhookWorkerConfig {
  const e = parseEnvironment(envSchema, env, 'webhook worker');
  return {
    name: e.WEBHOOK_NAME,
    url: new URL(e.WEBHOOK_URL),
    secretId: e.WEBHOOK_SECRET_ID,
    maxPerSecond: e.WEBHOOK_MAX_PER_SECOND,
    concurrency: e.WEBHOOK_CONCURRENCY,
    timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000,
    queueUrl: e.QUEUE_URL,
    deadLetterQueueUrl: e.DEAD_LETTER_QUEUE_URL,
    stateTableName: e.STATE_TABLE_NAME,
  };
}
