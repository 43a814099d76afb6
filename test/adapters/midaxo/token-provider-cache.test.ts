/**
 * The token provider with a token cache, as containers of one deployment live through it: a new provider
 * (a cold start) takes the token an earlier one cached, until its expiry less the margin; a token the API
 * refused is replaced for everyone; a cache that fails costs a token request and never the run.
 */
import { describe, expect, it } from 'vitest';
import { type TokenScope, tokenCacheKey } from '../../../shared/adapters/midaxo/token-cache.js';
import { createTokenProvider, type TokenProvider } from '../../../shared/adapters/midaxo/token-provider.js';
import { ManualClock } from '../../fakes/in-memory-ports.js';
import { InMemoryTokenCache } from '../../fakes/in-memory-token-cache.js';
import {
  createTokenEndpointStandIn,
  type TokenEndpointOptions,
} from '../../fakes/token-endpoint-stand-in.js';

const SECRET = 'client-secret-that-must-never-show-0123456789';
const SCOPE: TokenScope = {
  workspace: 'acme',
  authUrl: 'https://auth.app-eu.midaxo.com/oauth/token',
  audience: 'kappa-appsync-app-api',
  clientId: 'client-1',
};

function deployment(endpoint: Partial<TokenEndpointOptions> = {}) {
  const clock = new ManualClock(new Date('2026-12-01T08:00:00.000Z'));
  const cache = new InMemoryTokenCache();
  const authServer = createTokenEndpointStandIn({
    expiresInSeconds: 3600,
    now: () => clock.now(),
    ...endpoint,
  });
  const failures: string[] = [];
  /** A new container's provider: nothing in memory, the deployment's cache. */
  const coldStart = (options: { scope?: TokenScope; secret?: string } = {}): TokenProvider =>
    createTokenProvider({
      ...(options.scope ?? SCOPE),
      credentials: { clientId: (options.scope ?? SCOPE).clientId, clientSecret: options.secret ?? SECRET },
      fetch: authServer.fetch,
      now: () => clock.now(),
      sleep: async () => {},
      cache: { store: cache, key: tokenCacheKey(options.scope ?? SCOPE), onFailure: (f) => failures.push(f) },
    });
  return { clock, cache, authServer, failures, coldStart };
}

describe('token provider with a token cache', () => {
  it('gives a cold start the token an earlier container got, without asking the auth server', async () => {
    const { authServer, coldStart, clock } = deployment();
    const first = await coldStart().getToken();

    clock.advance(15 * 60);
    const afterColdStart = await coldStart().getToken();

    expect(afterColdStart).toBe(first);
    expect(authServer.requests).toBe(1);
  });

  it('stores the token sealed: the cache never holds it in the clear', async () => {
    const { cache, coldStart } = deployment();

    const token = await coldStart().getToken();

    const stored = JSON.stringify([...cache.entries.values()]);
    expect(cache.entries.size).toBe(1);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(SECRET);
  });

  it('uses a cached token until 60 s before it expires, then asks for a new one and caches it', async () => {
    const { authServer, coldStart, clock, cache } = deployment({ expiresInSeconds: 3600 });
    const first = await coldStart().getToken();

    clock.advance(3600 - 61);
    const justBeforeMargin = await coldStart().getToken();
    clock.advance(2);
    const inMargin = await coldStart().getToken();
    const nextColdStart = await coldStart().getToken();

    expect(justBeforeMargin).toBe(first);
    expect(inMargin).not.toBe(first);
    expect(nextColdStart).toBe(inMargin);
    expect(authServer.issued).toEqual([first, inMargin]);
    expect(cache.writes).toBe(2);
  });

  it('keeps a JWT no longer than its exp when that comes before expires_in, and never longer than expires_in', async () => {
    const shortJwt = deployment({ expiresInSeconds: 86_400, jwtExpiresInSeconds: 3600 });
    const longJwt = deployment({ expiresInSeconds: 3600, jwtExpiresInSeconds: 86_400 });
    for (const { coldStart } of [shortJwt, longJwt]) await coldStart().getToken();

    for (const { coldStart, clock } of [shortJwt, longJwt]) {
      clock.advance(3600 - 61);
      await coldStart().getToken();
      clock.advance(2);
      await coldStart().getToken();
    }

    expect(shortJwt.authServer.requests).toBe(2);
    expect(longJwt.authServer.requests).toBe(2);
  });

  it('replaces a token the API refused (401) for every later container, with one token request', async () => {
    const { authServer, coldStart, cache } = deployment();
    const warm = coldStart();
    const refused = await warm.getToken();
    const other = coldStart();
    await other.getToken();

    warm.invalidate(refused);
    const replacement = await warm.getToken();
    const nextColdStart = await coldStart().getToken();

    expect(replacement).not.toBe(refused);
    expect(nextColdStart).toBe(replacement);
    expect(authServer.issued).toEqual([refused, replacement]);
    expect(cache.entries.size).toBe(1);
  });

  it('takes a token another container cached after its own was refused, instead of asking again', async () => {
    const { authServer, coldStart } = deployment();
    const a = coldStart();
    const b = coldStart();
    const refused = await a.getToken();
    await b.getToken();

    a.invalidate(refused);
    const fromA = await a.getToken();
    b.invalidate(refused);
    const fromB = await b.getToken();

    expect(fromB).toBe(fromA);
    expect(authServer.requests).toBe(2);
  });

  it('asks the auth server when the cache cannot be read or written, and reports why without the token', async () => {
    const { authServer, coldStart, cache, failures } = deployment();
    cache.failure = new Error(`ProvisionedThroughputExceededException; secret ${SECRET}`);

    const first = await coldStart().getToken();
    const second = await coldStart().getToken();

    expect([first, second]).toEqual(authServer.issued);
    expect(authServer.requests).toBe(2);
    expect(failures).toHaveLength(4);
    expect(failures[0]).toMatch(/could not read the cached Midaxo token \(Error: ProvisionedThroughput/);
    expect(failures[1]).toMatch(/could not store the cached Midaxo token/);
    expect(failures.join('\n')).not.toContain(SECRET);
    for (const token of authServer.issued) expect(failures.join('\n')).not.toContain(token);
  });

  it('blames no cache for a read the run’s deadline stopped: the run ends as out of time, with no cache warning', async () => {
    const { coldStart, cache, failures } = deployment();
    const stop = new AbortController();
    cache.failure = new DOMException('This operation was aborted', 'AbortError');
    stop.abort();

    await expect(coldStart().getToken({ remainingMs: () => 0, signal: stop.signal })).rejects.toThrow();

    expect(failures).toEqual([]);
  });

  it('gives a rotated client secret nothing sealed under the old one: it asks, and its token replaces the entry', async () => {
    const { authServer, coldStart, failures } = deployment();
    const old = await coldStart().getToken();

    const rotated = await coldStart({ secret: 'the-new-client-secret-9876543210' }).getToken();
    const nextColdStart = await coldStart({ secret: 'the-new-client-secret-9876543210' }).getToken();

    expect(rotated).not.toBe(old);
    expect(nextColdStart).toBe(rotated);
    expect(authServer.requests).toBe(2);
    expect(failures).toEqual([expect.stringMatching(/could not open the cached Midaxo token/)]);
  });

  it('refuses an entry whose lifetime was moved later, as it no longer opens', async () => {
    const { authServer, coldStart, cache, clock } = deployment();
    await coldStart().getToken();
    const [key, entry] = [...cache.entries][0] ?? [];
    if (key === undefined || entry === undefined) throw new Error('nothing cached');
    const later = new Date(entry.usableUntil.getTime() + 86_400_000);
    cache.entries.set(key, { ...entry, usableUntil: later, expiresAt: later });

    clock.advance(3600);
    await coldStart().getToken();

    expect(authServer.requests).toBe(2);
  });

  it('never shares a token between workspaces, instances or clients', async () => {
    const { authServer, coldStart, cache } = deployment();
    const scopes: TokenScope[] = [
      SCOPE,
      { ...SCOPE, workspace: 'beta' },
      { ...SCOPE, authUrl: 'https://auth.app-us.midaxo.com/oauth/token' },
      { ...SCOPE, clientId: 'client-2' },
    ];

    const tokens = [];
    for (const scope of scopes) tokens.push(await coldStart({ scope }).getToken());

    expect(new Set(tokens).size).toBe(4);
    expect(authServer.requests).toBe(4);
    expect(cache.entries.size).toBe(4);
  });
});
