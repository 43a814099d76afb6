/**
 * Where Midaxo access tokens are kept between containers, so a cold start reuses a token another
 * container already holds instead of asking the auth server again (Auth0 counts every machine-to-machine
 * token against the issuer's quota). The token provider uses this port; the state table implements it.
 * What is stored is the token sealed with the client secret (token-seal.ts), never the token itself.
 * Layer: port (of the Midaxo adapter) and the checks every implementation shares.
 *
 * An entry is only as good as its `usableUntil`: past it, the provider asks the auth server as it would
 * without a cache. Whatever is read back is checked against one schema; an entry that fails it is
 * refused with an error naming the fields, never their values, and the provider asks the auth server.
 */
import { createHash } from 'node:crypto';
import { onFirstUse } from '../../support/on-first-use.js';
import * as z from '../../support/schema.js';

export interface CachedAccessToken {
  /** The token as `TokenSeal.seal` left it: base64url. */
  readonly sealedToken: string;
  /** When the provider stops using the token: its expiry less the refresh margin. */
  readonly usableUntil: Date;
  /** When the auth server said the token expires; a store may forget the entry from then on. */
  readonly expiresAt: Date;
}

export interface TokenCache {
  /** The entry stored under `key`, or undefined when there is none; throws when the stored entry is malformed. */
  read(key: string, signal?: AbortSignal): Promise<CachedAccessToken | undefined>;
  /** Stores `token` under `key`, replacing whatever was there. */
  write(key: string, token: CachedAccessToken, signal?: AbortSignal): Promise<void>;
}

/** What a token is issued for. Two workspaces, or one client on the EU and the US instance, never share. */
export interface TokenScope {
  readonly workspace: string;
  readonly authUrl: string;
  readonly audience: string;
  readonly clientId: string;
}

/** Longest sealed token a cache keeps: a 16 KiB token (Auth0's are about 1 KiB) with its IV and tag. */
const MAX_SEALED_TOKEN_CHARS = Math.ceil(((16 * 1024 + 28) * 4) / 3);

const KEY_VERSION = 'midaxo-token-v1';

/**
 * The key of a scope's entry: a SHA-256 over every part of it, so it is bounded whatever the names and
 * says nothing about the workspace or client (not secrets, but no business of a reader of the table).
 * The client secret is left out of the key (it only seals the entry, token-seal.ts): a rotated secret
 * of the same client finds the entry but cannot open it, so its first run asks for a new token, which
 * replaces it; a token the API refuses (401) is replaced at once.
 */
export function tokenCacheKey(scope: TokenScope): string {
  const parts = [KEY_VERSION, scope.workspace, scope.authUrl, scope.audience, scope.clientId];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

const cachedTokenSchema = onFirstUse(() =>
  z.object({
    sealedToken: z.string().check(z.maxLength(MAX_SEALED_TOKEN_CHARS), z.regex(/^[A-Za-z0-9_-]+$/)),
    usableUntil: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  }),
);

export class UnusableCachedTokenError extends Error {
  override readonly name = 'UnusableCachedTokenError';
}

/** A stored entry as the provider may use it; throws `UnusableCachedTokenError` naming the bad fields only. */
export function parseCachedToken(stored: unknown): CachedAccessToken {
  const parsed = cachedTokenSchema().safeParse(stored);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'entry'))];
    throw new UnusableCachedTokenError(`The cached Midaxo token entry is malformed: ${fields.join(', ')}`);
  }
  const { sealedToken, usableUntil, expiresAt } = parsed.data;
  const entry = { sealedToken, usableUntil: new Date(usableUntil), expiresAt: new Date(expiresAt) };
  if (entry.usableUntil > entry.expiresAt) {
    throw new UnusableCachedTokenError('The cached Midaxo token entry is usable past its expiry');
  }
  return entry;
}
