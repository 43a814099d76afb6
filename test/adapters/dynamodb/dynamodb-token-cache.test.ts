/**
 * The Midaxo token cache in the state table, against DynamoDB Local: what a container stores, the next
 * one reads back as it was; an entry is replaced, never duplicated; its item expires with the token (TTL);
 * a malformed item is refused naming its fields, never their values; and the token itself is never stored.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDbTokenCache } from '../../../shared/adapters/dynamodb/dynamodb-token-cache.js';
import { STATE_TABLE_KEYS, tokenCacheItemKey } from '../../../shared/adapters/dynamodb/state-table.js';
import { tokenCacheKey, UnusableCachedTokenError } from '../../../shared/adapters/midaxo/token-cache.js';
import { createTokenProvider } from '../../../shared/adapters/midaxo/token-provider.js';
import { ManualClock } from '../../fakes/in-memory-ports.js';
import { createTokenEndpointStandIn } from '../../fakes/token-endpoint-stand-in.js';
import {
  cachedTokenItems,
  createLocalDynamoDbClient,
  createStateTable,
} from '../../support/dynamodb-test-table.js';

const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
let tableName: string;
const SCOPE = {
  workspace: 'acme',
  authUrl: 'https://auth.app-us.midaxo.com/oauth/token',
  audience: 'kappa-appsync-app-api',
  clientId: 'client-1',
};
/**
 * Instants far ahead: DynamoDB Local deletes items whose TTL passed in real time, as DynamoDB does.
 */
const entry = (sealedToken: string, usableUntil: string, expiresAt: string) => ({
  sealedToken,
  usableUntil: new Date(usableUntil),
  expiresAt: new Date(expiresAt),
});

beforeAll(async () => {
  tableName = await createStateTable(client);
});

afterAll(() => {
  client.destroy();
});

describe('the token cache in the state table', () => {
  it('reads back what was written, and nothing for a key never written', async () => {
    const requests: string[] = [];
    const recorded = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
    recorded.middlewareStack.add(
      (next, context) => (args) => {
        requests.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize' },
    );
    const cache = createDynamoDbTokenCache({ client: recorded, tableName });
    const written = entry('c2VhbGVk', '2099-12-01T08:59:00.000Z', '2099-12-01T09:00:00.000Z');

    await cache.write('key-1', written);

    expect(await cache.read('key-1')).toEqual(written);
    expect(await cache.read('key-2')).toBeUndefined();
    expect(requests).toEqual(['UpdateItem', 'GetItem', 'GetItem']);
    recorded.destroy();
  });

  it('replaces the entry of a key, and lets TTL delete the item when the token expires', async () => {
    const cache = createDynamoDbTokenCache({ client, tableName });
    await cache.write('key-3', entry('b2xk', '2099-12-01T08:59:00.000Z', '2099-12-01T09:00:00.000Z'));
    const replacement = entry('bmV3', '2099-12-02T07:59:00.000Z', '2099-12-02T08:00:00.000Z');

    await cache.write('key-3', replacement);

    const items = (await cachedTokenItems(client, tableName)).filter(
      (item) => item[STATE_TABLE_KEYS.partitionKey]?.S === tokenCacheItemKey('key-3').pk?.S,
    );
    expect(items).toHaveLength(1);
    expect(items[0]?.[STATE_TABLE_KEYS.timeToLive]?.N).toBe(
      String(Date.parse('2099-12-02T08:00:00Z') / 1000),
    );
    expect(await cache.read('key-3')).toEqual(replacement);
  });

  it('refuses a malformed item naming the bad fields only', async () => {
    const cache = createDynamoDbTokenCache({ client, tableName });
    const notBase64 = 'plain token with spaces: do-not-echo-41';
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          ...tokenCacheItemKey('key-4'),
          sealedToken: { S: notBase64 },
          usableUntil: { S: 'tomorrow' },
          expiresAt: { N: '4100000000' },
        },
      }),
    );

    const reading = cache.read('key-4');

    await expect(reading).rejects.toThrow(UnusableCachedTokenError);
    await expect(reading).rejects.toThrow(/malformed: sealedToken, usableUntil$/);
    await expect(reading).rejects.not.toThrow(/do-not-echo/);
  });

  it('holds a provider’s token sealed, which a new provider with the same secret opens', async () => {
    const clock = new ManualClock(new Date('2099-12-01T08:00:00.000Z'));
    const authServer = createTokenEndpointStandIn({ expiresInSeconds: 86_400, now: () => clock.now() });
    const cache = createDynamoDbTokenCache({ client, tableName });
    const coldStart = () =>
      createTokenProvider({
        ...SCOPE,
        credentials: { clientId: SCOPE.clientId, clientSecret: 'secret-of-client-1-0123456789abcdef' },
        fetch: authServer.fetch,
        now: () => clock.now(),
        cache: { store: cache, key: tokenCacheKey(SCOPE) },
      });

    const token = await coldStart().getToken();
    clock.advance(6 * 3600);
    const afterColdStart = await coldStart().getToken();

    expect(afterColdStart).toBe(token);
    expect(authServer.requests).toBe(1);
    expect(JSON.stringify(await cachedTokenItems(client, tableName))).not.toContain(token);
  });
});
