/**
 * A `TokenCache` in memory, for the token provider's unit tests: what it holds can be looked at, and it
 * can be made to fail as a store that is down would.
 */
import type { CachedAccessToken, TokenCache } from '../../shared/adapters/midaxo/token-cache.js';

export class InMemoryTokenCache implements TokenCache {
  readonly entries = new Map<string, CachedAccessToken>();
  /** When set, every read and write fails with it. */
  failure: Error | undefined;
  reads = 0;
  writes = 0;

  async read(key: string): Promise<CachedAccessToken | undefined> {
    this.reads += 1;
    if (this.failure) throw this.failure;
    return this.entries.get(key);
  }

  async write(key: string, token: CachedAccessToken): Promise<void> {
    this.writes += 1;
    if (this.failure) throw this.failure;
    this.entries.set(key, token);
  }
}
