/**
 * What a deployed webhook endpoint's signing secret holds in Secrets Manager, and which keys sign at a
 * given moment. Either the key alone (`whsec_…`, as `standardwebhooks` takes it), or JSON for a rotation:
 *
 *   {"current": "whsec_<new>", "previous": "whsec_<old>", "previousUntil": "2026-12-08T12:00:00Z"}
 *
 * Until `previousUntil` every delivery carries both signatures, so the receiver can switch keys at any
 * moment of the overlap; after it only `current` signs. The secret the stack creates is
 * `{"current": "<base64 key>"}` (Secrets Manager cannot put the prefix in front; both forms verify).
 * Layer: adapter (webhook).
 */
import { z } from 'zod';
import { parseRfc3339 } from '../../core/rfc3339.js';
import { createWebhookSigner, type WebhookSigner } from './standard-webhooks-signature.js';
import { WebhookConfigError } from './webhook-errors.js';

export const WEBHOOK_SECRET_FORMAT =
  'expected the key ("whsec_…") or JSON {"current": "whsec_…", "previous"?: "whsec_…", "previousUntil"?: "<RFC 3339 time>"}';

const rotationSchema = z
  .strictObject({
    current: z.string().min(1),
    previous: z.string().min(1).optional(),
    previousUntil: z
      .string()
      .refine((text) => parseRfc3339(text) !== undefined)
      .optional(),
  })
  .refine((value) => (value.previous === undefined) === (value.previousUntil === undefined));

/** The keys that sign at `nowMs`, newest first; refuses a value that is neither form (never quoting it). */
export function signingKeysOf(secretValue: string, nowMs: number): string[] {
  const text = secretValue.trim();
  if (!text.startsWith('{')) return [text];
  const parsed = rotationSchema.safeParse(parseJson(text));
  if (!parsed.success)
    throw new WebhookConfigError(`The webhook secret is not usable: ${WEBHOOK_SECRET_FORMAT}`);
  const { current, previous, previousUntil } = parsed.data;
  const overlapEnds = previousUntil === undefined ? undefined : parseRfc3339(previousUntil);
  return previous !== undefined && overlapEnds !== undefined && nowMs < overlapEnds
    ? [current, previous]
    : [current];
}

/** The signer of the endpoint at `nowMs`. */
export function signerOfSecret(secretValue: string, nowMs: number): WebhookSigner {
  return createWebhookSigner(signingKeysOf(secretValue, nowMs));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
