/**
 * Standard Webhooks signing (https://www.standardwebhooks.com) with the spec's own library: the receiver
 * recomputes HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the shared key and compares.
 * The one signer of both the local mode and the deployed webhook worker. During a secret rotation it signs
 * with every key in use, space-separated (`v1,<new> v1,<old>`), as the spec allows, so a receiver that
 * still holds the old key and one that already has the new key both verify.
 * What stays ours is refusing a secret that cannot be what the user meant, before anything is sent.
 * Layer: adapter.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookConfigError } from './webhook-errors.js';

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The spec's bounds on the key, so a typo'd or truncated secret is caught before anything is sent. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
/** What `openssl rand -base64 32` gives, as docs/webhooks.md suggests for a key of one's own. */
const NEW_KEY_BYTES = 32;

export const WEBHOOK_SECRET_EXPECTATION = `expected base64 of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} random bytes, with or without the "${SECRET_PREFIX}" prefix (e.g. ${SECRET_PREFIX} followed by the output of \`openssl rand -base64 32\`)`;

export interface WebhookSigner {
  /** The `webhook-signature` header value for one delivery: `v1,<base64 HMAC-SHA256>`, one per key. */
  sign(id: string, timestamp: Date, body: string): string;
}

/**
 * Checks each secret (never echoing one when refusing it) and signs with all of them, the first one's
 * signature first. `what` names the secret in the message, e.g. "the previous webhook secret".
 */
export function createWebhookSigner(
  secrets: string | readonly string[],
  what = 'the webhook secret',
): WebhookSigner {
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  if (keys.length === 0) throw new WebhookConfigError(`${capitalised(what)} is missing`);
  const webhooks = keys.map((secret) => new Webhook(checkedKey(secret, what)));
  return {
    sign: (id, timestamp, body) => webhooks.map((webhook) => webhook.sign(id, timestamp, body)).join(' '),
  };
}

/** The base64 key of a secret, refused when it is not base64 of a usable number of bytes. */
function checkedKey(secret: string, what: string): string {
  if (!isUsableWebhookKey(secret)) {
    throw new WebhookConfigError(`${capitalised(what)} is not usable: ${WEBHOOK_SECRET_EXPECTATION}`);
  }
  return withoutPrefix(secret);
}

/** True when `secret` is base64 of 24 to 64 bytes, with or without the `whsec_` prefix. */
export function isUsableWebhookKey(secret: string): boolean {
  const encoded = withoutPrefix(secret);
  const bytes = BASE64.test(encoded) && encoded.length % 4 === 0 ? Buffer.from(encoded, 'base64').length : 0;
  return bytes >= MIN_KEY_BYTES && bytes <= MAX_KEY_BYTES;
}

/** A new random key in the form the `standardwebhooks` libraries print and take: `whsec_` + base64. */
export function newWebhookKey(): string {
  return `${SECRET_PREFIX}${randomBytes(NEW_KEY_BYTES).toString('base64')}`;
}

function withoutPrefix(secret: string): string {
  return secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
