/**
 * Opens the Midaxo listing of a workspace: its token provider and the cursor-paged project source.
 * Token providers live as long as the factory (a Lambda container, a CLI session), so later runs reuse
 * the token; a workspace whose credentials changed (a rotated secret) gets a fresh provider. Given a
 * token cache, providers also share tokens across containers, each workspace under its own key. Each
 * opening has one rate-limit pause, shared by every process the run lists through it.
 * Layer: adapter.
 */
import type { MidaxoCredentials } from '../../config/midaxo-credentials.js';
import type { ProjectSource } from '../../core/ports.js';
import { sleep as realSleep, type Sleep } from '../../support/backoff.js';
import type { Deadline } from '../../support/deadline.js';
import type { Fetch } from './http-exchange.js';
import type { MidaxoEndpoints } from './midaxo-endpoints.js';
import {
  createMidaxoProjectSource,
  LISTING_REQUEST_TIMEOUT_MS,
  type MidaxoRequestInfo,
} from './midaxo-project-source.js';
import { createRateLimitPause } from './rate-limit-pause.js';
import { timeLimitOf } from './retry-loop.js';
import { type TokenCache, tokenCacheKey } from './token-cache.js';
import { createTokenProvider, type TokenProvider } from './token-provider.js';

export interface MidaxoSourceFactoryOptions {
  readonly endpoints: MidaxoEndpoints;
  readonly pageSize: number;
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  readonly onRequest?: (info: MidaxoRequestInfo) => void;
  /** Where tokens outlive the factory. @default - nowhere: each factory asks for its own */
  readonly tokenCache?: {
    readonly store: TokenCache;
    /** Told, with the workspace's name, why the cache was not used (never the token). */
    readonly onFailure?: (failure: string, workspace: string) => void;
  };
}

/** The listing of one workspace for one run; `deadline` is the run's (see `createMidaxoProjectSource`). */
export type MidaxoSourceFactory = (
  workspace: string,
  credentials: MidaxoCredentials,
  deadline?: Deadline,
) => ProjectSource;

export function createMidaxoSourceFactory(options: MidaxoSourceFactoryOptions): MidaxoSourceFactory {
  const { endpoints, fetch, sleep } = options;
  const providers = new Map<string, { credentials: MidaxoCredentials; tokens: TokenProvider }>();

  const tokensFor = (workspace: string, credentials: MidaxoCredentials): TokenProvider => {
    const cached = providers.get(workspace);
    if (cached && sameCredentials(cached.credentials, credentials)) return cached.tokens;
    const { tokenCache } = options;
    const cache = tokenCache && {
      store: tokenCache.store,
      key: tokenCacheKey({ ...endpoints, workspace, clientId: credentials.clientId }),
      onFailure: (failure: string) => tokenCache.onFailure?.(failure, workspace),
    };
    const tokens = createTokenProvider({ ...endpoints, credentials, fetch, sleep, cache });
    providers.set(workspace, { credentials, tokens });
    return tokens;
  };

  return (workspace, credentials, deadline) =>
    createMidaxoProjectSource({
      apiUrl: endpoints.apiUrl,
      tokens: tokensFor(workspace, credentials),
      pageSize: options.pageSize,
      fetch,
      sleep,
      onRequest: options.onRequest,
      deadline,
      secrets: [{ value: credentials.clientSecret, basicAuthUser: credentials.clientId }],
      rateLimit: createRateLimitPause({
        sleep: sleep ?? realSleep,
        // A pause still leaves room for the request it holds back.
        deadline: timeLimitOf(deadline, LISTING_REQUEST_TIMEOUT_MS),
      }),
    });
}

function sameCredentials(a: MidaxoCredentials, b: MidaxoCredentials): boolean {
  return a.clientId === b.clientId && a.clientSecret === b.clientSecret;
}
