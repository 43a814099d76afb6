/**
 * One token provider's entry in a `TokenCache`: what it recalls on a cold start or when its own token is
 * due, and what it keeps after asking the auth server. The cache only saves token requests: a read or
 * write that fails, or an entry that is malformed, is reported and the provider asks the auth server as
 * it would without one. The report names the failure, never the token or the client secret. The token is
 * sealed with the client secret before it is stored (token-seal.ts).
 * Layer: adapter.
 */
import { createRedactor, quoteUntrusted } from '../../support/untrusted-text.js';
import type { TokenCache } from './token-cache.js';
import { createTokenSeal, type TokenSeal } from './token-seal.js';

export interface TokenCacheOptions {
  readonly store: TokenCache;
  /** The entry of the provider's scope (`tokenCacheKey`). */
  readonly key: string;
  /** Told why the cache was not used; the run goes on. */
  readonly onFailure?: (failure: string) => void;
}

/** A token the provider holds, in its own terms. */
export interface HeldToken {
  readonly token: string;
  readonly refreshAtMs: number;
  readonly expiresAtMs: number;
}

export interface TokenCacheSlot {
  /** A usable token of the cache, unless it is `rejected` (the API refused it) or due at `nowMs`. */
  recall(nowMs: number, rejected: string | undefined, signal?: AbortSignal): Promise<HeldToken | undefined>;
  /** Replaces the cached token with `fresh`. */
  keep(fresh: HeldToken, signal?: AbortSignal): Promise<void>;
}

const FAILURE_CHARS_SHOWN = 200;
/** What an opened token must be, as the token response's schema requires: it goes into a header as it is. */
const HEADER_SAFE = /^[\x20-\x7e]+$/;

export function createTokenCacheSlot(
  options: TokenCacheOptions | undefined,
  clientSecret: string,
): TokenCacheSlot {
  if (options === undefined) {
    return { recall: async () => undefined, keep: async () => {} };
  }
  const { store, key } = options;
  let sealer: TokenSeal | undefined;
  // Derived on first use: a container that never misses its own token never pays for it.
  const seal = () => {
    sealer ??= createTokenSeal(clientSecret, key);
    return sealer;
  };
  const lifetimeOf = (usableUntil: Date, expiresAt: Date) =>
    `${usableUntil.toISOString()} ${expiresAt.toISOString()}`;
  const report = (operation: string, error: unknown, token?: string): void => {
    const secrets = [{ value: clientSecret }, ...(token === undefined ? [] : [{ value: token }])];
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const detail = quoteUntrusted(message, {
      maxLength: FAILURE_CHARS_SHOWN,
      redact: createRedactor(secrets),
    });
    options.onFailure?.(`could not ${operation} the cached Midaxo token (${detail}); asking the auth server`);
  };
  return {
    async recall(nowMs, rejected, signal) {
      try {
        const entry = await store.read(key, signal);
        if (entry === undefined || nowMs >= entry.usableUntil.getTime()) return undefined;
        const token = seal().open(entry.sealedToken, lifetimeOf(entry.usableUntil, entry.expiresAt));
        if (token === undefined || !HEADER_SAFE.test(token)) {
          // A rotated client secret opens nothing sealed under the old one: the next token replaces it.
          report('open', new Error('sealed with another client secret, or altered'));
          return undefined;
        }
        if (token === rejected) return undefined;
        return {
          token,
          refreshAtMs: entry.usableUntil.getTime(),
          expiresAtMs: entry.expiresAt.getTime(),
        };
      } catch (error: unknown) {
        // The run's deadline stopped the read: nothing is wrong with the cache, and the run ends anyway.
        if (!signal?.aborted) report('read', error);
        return undefined;
      }
    },
    async keep(fresh, signal) {
      const usableUntil = new Date(fresh.refreshAtMs);
      // In whole seconds, as a TTL attribute keeps it, so the lifetime read back is the one sealed.
      const expiresAt = new Date(Math.ceil(fresh.expiresAtMs / 1000) * 1000);
      try {
        const sealedToken = seal().seal(fresh.token, lifetimeOf(usableUntil, expiresAt));
        await store.write(key, { sealedToken, usableUntil, expiresAt }, signal);
      } catch (error: unknown) {
        if (!signal?.aborted) report('store', error, fresh.token);
      }
    },
  };
}
