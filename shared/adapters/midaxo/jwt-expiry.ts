/**
 * The `exp` claim of a token that looks like a JWT, read without checking its signature: it may only
 * shorten the lifetime `expires_in` gives (a token kept past its real expiry would be refused by every
 * request), never lengthen it. A token that is opaque, malformed or claims nothing usable has no expiry here.
 * Layer: adapter.
 */
import { parseJsonOrUndefined } from '../../support/json-text.js';
import { onFirstUse } from '../../support/on-first-use.js';
import * as z from '../../support/schema.js';

/** A payload this long is not an access token's; it is not decoded. */
const MAX_PAYLOAD_CHARS = 8 * 1024;

const expirySchema = onFirstUse(() =>
  z.object({ exp: z.number().check(z.positive(), z.lte(Number.MAX_SAFE_INTEGER / 1000)) }),
);

/** The token's `exp` in epoch milliseconds, or undefined when it has none that can be read. */
export function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split('.');
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || payload.length > MAX_PAYLOAD_CHARS) return undefined;
  const claims = parseJsonOrUndefined(Buffer.from(payload, 'base64url').toString('utf8'));
  const parsed = expirySchema().safeParse(claims);
  return parsed.success ? parsed.data.exp * 1000 : undefined;
}
