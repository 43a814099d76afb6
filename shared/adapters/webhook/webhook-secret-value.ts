/**
 * What a deployed webhook endpoint's signing secret holds in Secrets Manager, and which keys sign at a
 * given moment. One schema for every form, each key as the `standardwebhooks` libraries take it:
 *
 *   {"current": "whsec_<key>"}                                  what the stack creates
 *   {"current": "whsec_<new>", "previous": "whsec_<old>", "previousUntil": "2026-12-08T12:00:00Z"}
 *   whsec_<key>                                                 an existing secret may hold the key alone
 *
 * Until `previousUntil` every delivery carries both signatures, so the receiver can switch keys at any
 * moment of the overlap; after it only `current` signs. A key without the prefix (what earlier versions
 * of the stack created) is the same key to the libraries and is taken too.
 * Layer: adapter (webhook).
 */
import { z } from 'zod';
import { describeIssues } from '../../config/config-error.js';
import { parseRfc3339 } from '../../core/rfc3339.js';
import { parseJsonOrUndefined } from '../../support/json-text.js';
import {
  createWebhookSigner,
  isUsableWebhookKey,
  newWebhookKey,
  WEBHOOK_SECRET_EXPECTATION,
  type WebhookSigner,
} from './standard-webhooks-signature.js';
import { WebhookConfigError } from './webhook-errors.js';

export const WEBHOOK_SECRET_FORMAT =
  'expected {"current": "whsec_…"}, during a rotation with "previous": "whsec_…" and "previousUntil": "<RFC 3339 time>", or the key "whsec_…" alone';

const key = z
  .string({ error: WEBHOOK_SECRET_EXPECTATION })
  .refine(isUsableWebhookKey, { error: WEBHOOK_SECRET_EXPECTATION });

/** The secret's text: the key alone stands for `{"current": key}`; JSON that does not parse is no object. */
const webhookSecretSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    return text.startsWith('{') ? parseJsonOrUndefined(text) : { current: text };
  },
  z
    .strictObject(
      {
        current: key,
        previous: key.optional(),
        previousUntil: z
          .string({ error: 'expected an RFC 3339 time, e.g. 2026-12-08T12:00:00Z' })
          .refine((text) => parseRfc3339(text) !== undefined, {
            error: 'expected an RFC 3339 time, e.g. 2026-12-08T12:00:00Z',
          })
          .optional(),
      },
      { error: WEBHOOK_SECRET_FORMAT },
    )
    .refine((value) => (value.previous === undefined) === (value.previousUntil === undefined), {
      error: '"previous" and "previousUntil" go together: the old key and when it stops signing',
    }),
);

export type WebhookSecret = z.infer<typeof webhookSecretSchema>;

/**
 * The secret's keys, checked; refused with one line per problem, naming the field and never a value.
 * `secretId` names the secret in the message.
 */
function parseWebhookSecret(secretValue: string, secretId: string): WebhookSecret {
  const parsed = webhookSecretSchema.safeParse(secretValue);
  if (parsed.success) return parsed.data;
  throw new WebhookConfigError(
    `Secret ${secretId} is not a usable webhook signing secret (${WEBHOOK_SECRET_FORMAT}):\n${describeIssues(parsed.error.issues)}`,
  );
}

/** The keys that sign at `nowMs`, newest first. */
export function signingKeysOf(secret: WebhookSecret, nowMs: number): string[] {
  const { current, previous, previousUntil } = secret;
  const overlapEnds = previousUntil === undefined ? undefined : parseRfc3339(previousUntil);
  return previous !== undefined && overlapEnds !== undefined && nowMs < overlapEnds
    ? [current, previous]
    : [current];
}

/** The signer of the endpoint at `nowMs`. */
export function signerOfSecret(secretValue: string, secretId: string, nowMs: number): WebhookSigner {
  return createWebhookSigner(signingKeysOf(parseWebhookSecret(secretValue, secretId), nowMs));
}

/** What a signing secret the stack creates holds: a new random key in the form receivers take. */
export function newWebhookSecretValue(): string {
  return JSON.stringify({ current: newWebhookKey() } satisfies WebhookSecret);
}
