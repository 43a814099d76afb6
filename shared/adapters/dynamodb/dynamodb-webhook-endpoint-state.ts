/**
 * Whether a deployed webhook endpoint is disabled, kept in the state table: one item per disabled
 * endpoint (`WEBHOOK#<name>`, `ENDPOINT`), written when the receiver answered `410 Gone`. Nothing
 * clears it but an operator: deleting the item (docs/webhooks.md) re-enables the endpoint.
 * Layer: adapter.
 */
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { STATE_ATTRIBUTES, STATE_TABLE_KEYS, webhookEndpointKey } from './state-table.js';

export interface WebhookEndpointState {
  /** When the endpoint was disabled (ISO 8601), or undefined while it is enabled. */
  disabledSince(): Promise<string | undefined>;
  disable(change: { readonly at: Date; readonly reason: string }): Promise<void>;
}

export interface WebhookEndpointStateOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly endpoint: string;
}

export function createDynamoDbWebhookEndpointState(
  options: WebhookEndpointStateOptions,
): WebhookEndpointState {
  const { client, tableName } = options;
  const Key = webhookEndpointKey(options.endpoint);
  return {
    async disabledSince() {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true }),
      );
      return Item?.[STATE_ATTRIBUTES.since]?.S ?? (Item === undefined ? undefined : 'an unknown time');
    },
    async disable({ at, reason }) {
      const put = new PutItemCommand({
        TableName: tableName,
        Item: {
          ...Key,
          [STATE_ATTRIBUTES.since]: { S: at.toISOString() },
          [STATE_ATTRIBUTES.reason]: { S: reason },
        },
        // The first disabling is the one an operator needs to see.
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': STATE_TABLE_KEYS.partitionKey },
      });
      try {
        await client.send(put);
      } catch (e: unknown) {
        if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
      }
    },
  };
}
