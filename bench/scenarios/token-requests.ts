/**
 * Token requests per day for one workspace polled every minute whose container is replaced every 15
 * minutes: the real token provider (each cold start a new one, nothing in memory) over simulated time,
 * against a stand-in auth server that counts requests, with the state table's token cache on DynamoDB
 * Local and without any cache. Each poll asks for the token once, as a listing does.
 */
import { createDynamoDbTokenCache } from '../../shared/adapters/dynamodb/dynamodb-token-cache.js';
import { MIDAXO_AUDIENCE } from '../../shared/adapters/midaxo/midaxo-endpoints.js';
import { type TokenCache, tokenCacheKey } from '../../shared/adapters/midaxo/token-cache.js';
import { createTokenProvider, type TokenProvider } from '../../shared/adapters/midaxo/token-provider.js';
import { ManualClock } from '../../test/fakes/in-memory-ports.js';
import { createTokenEndpointStandIn } from '../../test/fakes/token-endpoint-stand-in.js';
import { createLocalDynamoDbClient } from '../../test/support/dynamodb-test-table.js';
import { createRequestTally } from '../aws/request-tally.js';
import type { BenchContext } from './bench-context.js';

export const TOKEN_DAY = { pollEveryMinutes: 1, coldStartEveryMinutes: 15, minutes: 24 * 60 } as const;
/** Auth0's default for machine-to-machine tokens (24 h), and a short one for comparison. */
const TOKEN_LIFETIMES_SECONDS = [86_400, 3_600] as const;

export interface TokenDay {
  readonly tokenLifetimeSeconds: number;
  readonly polls: number;
  readonly coldStarts: number;
  readonly withoutCache: { readonly tokenRequests: number };
  readonly withCache: {
    readonly tokenRequests: number;
    readonly cacheReads: number;
    readonly cacheWrites: number;
  };
}

export interface TokenRequestResults {
  readonly days: readonly TokenDay[];
}

const SCOPE = {
  workspace: 'bench',
  authUrl: 'https://auth.app-eu.midaxo.com/oauth/token',
  audience: MIDAXO_AUDIENCE,
  clientId: 'bench-client',
};
const DAY_START = new Date('2099-01-01T00:00:00.000Z');

export async function runTokenRequestScenario(context: BenchContext): Promise<TokenRequestResults> {
  const client = createLocalDynamoDbClient(context.dynamoDbEndpoint);
  const tally = createRequestTally();
  tally.attach(client, 'DynamoDB');
  try {
    const days: TokenDay[] = [];
    for (const tokenLifetimeSeconds of TOKEN_LIFETIMES_SECONDS) {
      context.progress(`token requests over a day, ${tokenLifetimeSeconds / 3600} h tokens`);
      const tableName = await context.createTable();
      tally.reset();
      const cache = createDynamoDbTokenCache({ client, tableName });
      const withCache = await simulateDay(tokenLifetimeSeconds, cache);
      const withoutCache = await simulateDay(tokenLifetimeSeconds, undefined);
      days.push({
        tokenLifetimeSeconds,
        polls: withCache.polls,
        coldStarts: withCache.coldStarts,
        withoutCache: { tokenRequests: withoutCache.tokenRequests },
        withCache: {
          tokenRequests: withCache.tokenRequests,
          cacheReads: tally.counts()['DynamoDB.GetItem'] ?? 0,
          cacheWrites: tally.counts()['DynamoDB.UpdateItem'] ?? 0,
        },
      });
    }
    return { days };
  } finally {
    client.destroy();
  }
}

async function simulateDay(tokenLifetimeSeconds: number, cache: TokenCache | undefined) {
  const clock = new ManualClock(DAY_START);
  const authServer = createTokenEndpointStandIn({
    expiresInSeconds: tokenLifetimeSeconds,
    now: () => clock.now(),
  });
  const coldStart = (): TokenProvider =>
    createTokenProvider({
      ...SCOPE,
      credentials: { clientId: SCOPE.clientId, clientSecret: 'bench-client-secret-0123456789abcdef' },
      fetch: authServer.fetch,
      now: () => clock.now(),
      ...(cache === undefined ? {} : { cache: { store: cache, key: tokenCacheKey(SCOPE) } }),
    });
  let provider = coldStart();
  let coldStarts = 1;
  let polls = 0;
  for (let minute = 0; minute < TOKEN_DAY.minutes; minute += TOKEN_DAY.pollEveryMinutes) {
    if (minute > 0 && minute % TOKEN_DAY.coldStartEveryMinutes === 0) {
      provider = coldStart();
      coldStarts += 1;
    }
    await provider.getToken();
    polls += 1;
    clock.advance(TOKEN_DAY.pollEveryMinutes * 60);
  }
  return { polls, coldStarts, tokenRequests: authServer.requests };
}
