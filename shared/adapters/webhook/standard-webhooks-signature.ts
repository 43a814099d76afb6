/**
 * Standard Webhooks signing (https://www.standardwebhooks.com) with the spec's own library: the receiver
 * recomputes HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the shared key and compares.
 * What stays ours is refusing a secret that cannot be what the user meant, before anything is sent.
 * Layer: adapter.
 */
import { Webhook } from 'standardwebhooks';
import { WebhookConfigError } from './webhook-errors.js';

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The spec's bounds on the key, so a typo'd or truncated secret is caught before anything is sent. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

export const WEBHOOK_SECRET_EXPECTATION = `expected base64 of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} random bytes, with or without the "${SECRET_PREFIX}" prefix (e.g. ${SECRET_PREFIX} followed by the output of \`openssl rand -base64 32\`)`;

export interface WebhookSigner {
  /** The `webhook-signature` header value for one delivery: `v1,<base64 HMAC-SHA256>`. */
  sign(id: string, timestamp: Date, body: string): string;
}

/** Checks the secret (never echoing it when refusing it) and signs with it. */
export function createWebhookSigner(secret: string): WebhookSigner {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = BASE64.test(encoded) && encoded.length % 4 === 0 ? Buffer.from(encoded, 'base64').length : 0;
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    throw new WebhookConfigError(`The webhook secret is not usable: ${WEBHOOK_SECRET_EXPECTATION}`);
  }
  const webhook = new Webhook(encoded);
  return { sign: (id, timestamp, body) => webhook.sign(id, timestamp, body) };
}
