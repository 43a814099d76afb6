/**
 * Seals a Midaxo access token before it leaves the process for a cache, with AES-256-GCM under a key
 * derived (HKDF-SHA-256) from the client secret and the cache key.
 * Layer: adapter.
 *
 * Why this and not only the table's encryption: DynamoDB encrypts every table at rest, but the state table
 * with an AWS-owned key, so anyone allowed `dynamodb:GetItem` on it (an account-wide ReadOnlyAccess role,
 * say) would read a plain token and call the Midaxo API with it. Sealed, the token is of use only to a
 * holder of the client secret, who could get a token from the auth server anyway. A KMS envelope would
 * protect as well but costs a KMS request per cold start and new KMS grants to the poller; this costs
 * neither. A rotated secret opens nothing sealed under the old one: the entry is a miss, not an error to
 * hide. The lifetime is bound in as associated data, so an entry whose `usableUntil` was moved later fails
 * to open. Auth0 client secrets are random (64 characters), which HKDF needs of its input.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const KEY_INFO = 'midaxo-change-notifier token cache v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TokenSeal {
  /** The token sealed (base64url), bound to `context`. */
  seal(token: string, context: string): string;
  /** The token, or undefined when `sealed` was not sealed by this seal with this `context` (or was altered). */
  open(sealed: string, context: string): string | undefined;
}

export function createTokenSeal(clientSecret: string, cacheKey: string): TokenSeal {
  const key = Buffer.from(hkdfSync('sha256', clientSecret, cacheKey, KEY_INFO, 32));
  return {
    seal(token, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed, context) {
      const bytes = Buffer.from(sealed, 'base64url');
      if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES))
        .setAAD(Buffer.from(context, 'utf8'))
        .setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
