/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the receiver recomputes
 * HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the shared key and compares.
 * Layer: adapter.
 */
import { createHmac } from 'node:crypto';
import { WebhookConfigError } from './webhook-errors.js';

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The spec's bounds on the key, so a typo'd or truncated secret is caught before anything is sent. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

export const WEBHOOK_SECRET_EXPECTATION = `expected "${SECRET_PREFIX}" followed by base64 of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} random bytes`;

/** The signing key: the base64 after the `whsec_` prefix, decoded. Never echoes the secret when refusing it. */
export function webhookSigningKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = BASE64.test(encoded) && encoded.length % 4 === 0 ? Buffer.from(encoded, 'base64') : undefined;
  if (key === undefined || key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new WebhookConfigError(`The webhook secret is not usable: ${WEBHOOK_SECRET_EXPECTATION}`);
  }
  return key;
}

export interface SignedContent {
  readonly id: string;
  /** Unix time in seconds. */
  readonly timestamp: number;
  readonly body: string;
}

/** The `webhook-signature` header value: `v1,<base64 HMAC-SHA256>`. */
export function signWebhook(key: Buffer, content: SignedContent): string {
  const mac = createHmac('sha256', key)
    .update(`${content.id}.${content.timestamp}.${content.body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}
