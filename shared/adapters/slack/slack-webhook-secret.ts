/**
 * The Slack incoming-webhook URL, read from Secrets Manager and cached per container, so warm
 * invocations make no Secrets Manager call; a rotated URL is picked up within `maxAgeSeconds`.
 * The SecretString is `{"webhookUrl": "https://hooks.slack.com/services/…"}` or the plain URL.
 * The URL is a credential (whoever has it can post to the channel): no error or log line shows it.
 * Layer: adapter.
 */

import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { ConfigError } from '../../config/config-error.js';
import { parseJsonOrUndefined } from '../../support/json-text.js';
import { secureUrl } from '../../support/secure-url.js';
import { createSecretStringReader } from '../secrets/secret-string-reader.js';

const EXPECTED = 'expected {"webhookUrl": "https://hooks.slack.com/services/…"} or the plain https:// URL';

/**
 * https only, loopback included: this secret is read by the deployed Slack worker alone, where
 * `http://localhost` is no Slack but the Lambda itself, and a message sent there in clear is lost.
 */
const webhookUrlSchema = z
  .url({ error: 'webhookUrl must be an https:// URL' })
  .refine((value) => secureUrl(value, { loopback: false }) !== undefined, {
    error:
      'webhookUrl must be an https:// URL without user or password (http:// is refused, even to localhost)',
  });

const secretObjectSchema = z.object({ webhookUrl: webhookUrlSchema });

/** Accepts the SecretString text: JSON with `webhookUrl`, or the URL itself. */
export function parseSlackWebhookSecret(secretValue: unknown, secretId: string): string {
  if (typeof secretValue !== 'string' || secretValue.trim() === '') {
    throw new ConfigError(`Secret ${secretId} has no SecretString: ${EXPECTED}`);
  }
  const text = secretValue.trim();
  const candidate = text.startsWith('{') ? parseJson(text, secretId) : { webhookUrl: text };
  const parsed = secretObjectSchema.safeParse(candidate);
  if (!parsed.success) {
    // The issue messages are ours and quote nothing from the secret.
    const problems = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new ConfigError(`Secret ${secretId} is malformed (${EXPECTED}): ${problems}`);
  }
  return parsed.data.webhookUrl;
}

function parseJson(text: string, secretId: string): unknown {
  const value = parseJsonOrUndefined(text);
  if (value === undefined) {
    throw new ConfigError(`Secret ${secretId} starts like JSON but is not valid JSON: ${EXPECTED}`);
  }
  return value;
}

export interface SlackWebhookSecretOptions {
  readonly client: SecretsManagerClient;
  readonly secretId: string;
  /** @default 300 */
  readonly maxAgeSeconds?: number;
}

export type WebhookUrlReader = () => Promise<string>;

export function createSlackWebhookUrlReader(options: SlackWebhookSecretOptions): WebhookUrlReader {
  const readSecret = createSecretStringReader({
    client: options.client,
    maxAgeSeconds: options.maxAgeSeconds ?? 300,
  });
  return async () => parseSlackWebhookSecret(await readSecret(options.secretId), options.secretId);
}
