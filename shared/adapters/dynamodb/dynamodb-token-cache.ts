/**
 * Midaxo access tokens kept in the state table (`TOKEN#<scope hash>`, `TOKEN`), so a new poller container
 * reuses the token an earlier one got.
 * Layer: adapter.
 *
 * The token is sealed with the client secret before it gets here (token-seal.ts says why that and not
 * only the table's own encryption at rest); the item lives no longer than the token (TTL on `expiresAt`;
 * until DynamoDB deletes it, `usableUntil` keeps it from being used).
 *
 * Writes are `UpdateItem` and reads `GetItem`, both already the poller's: no new IAM action.
 */
import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { parseCachedToken, type TokenCache } from '../midaxo/token-cache.js';
import { STATE_ATTRIBUTES, STATE_TABLE_KEYS, tokenCacheItemKey } from './state-table.js';

export interface DynamoDbTokenCacheOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export function createDynamoDbTokenCache(options: DynamoDbTokenCacheOptions): TokenCache {
  const { client, tableName } = options;
  return {
    async read(key, signal) {
      const { Item } = await client.send(
        // Consistent: a token that replaced a refused one is seen by the next cold start.
        new GetItemCommand({ TableName: tableName, Key: tokenCacheItemKey(key), ConsistentRead: true }),
        { abortSignal: signal },
      );
      if (Item === undefined) return undefined;
      return parseCachedToken({
        sealedToken: Item[STATE_ATTRIBUTES.sealedToken]?.S,
        usableUntil: Item[STATE_ATTRIBUTES.usableUntil]?.S,
        expiresAt: expiryOf(Item[STATE_TABLE_KEYS.timeToLive]?.N),
      });
    },
    async write(key, entry, signal) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: tokenCacheItemKey(key),
          UpdateExpression:
            'SET #sealedToken = :sealedToken, #usableUntil = :usableUntil, #expiresAt = :expiresAt',
          ExpressionAttributeNames: {
            '#sealedToken': STATE_ATTRIBUTES.sealedToken,
            '#usableUntil': STATE_ATTRIBUTES.usableUntil,
            '#expiresAt': STATE_TABLE_KEYS.timeToLive,
          },
          ExpressionAttributeValues: {
            ':sealedToken': { S: entry.sealedToken },
            ':usableUntil': { S: entry.usableUntil.toISOString() },
            // TTL takes epoch seconds; rounded up so the item never goes before the token does.
            ':expiresAt': { N: String(Math.ceil(entry.expiresAt.getTime() / 1000)) },
          },
        }),
        { abortSignal: signal },
      );
    },
  };
}

/** The TTL attribute (epoch seconds) as an instant, or undefined for the schema to refuse. */
function expiryOf(epochSeconds: string | undefined): string | undefined {
  const seconds = Number(epochSeconds);
  if (epochSeconds === undefined || !Number.isSafeInteger(seconds) || seconds <= 0) return undefined;
  const instant = new Date(seconds * 1000);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}
