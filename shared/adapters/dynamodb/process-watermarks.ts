/**
 * The stored watermark of many processes at once, read without claiming them: what the staleness check
 * needs to see that a process's runs stopped, whoever was to run it. Eventually consistent reads of the
 * watermark attribute only, 100 keys a request. Layer: adapter.
 */
import { BatchGetItemCommand, type DynamoDBClient, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { retryPacingOf } from '../../support/backoff.js';
import { sendUntilProcessed } from './send-until-processed.js';
import { processKey, STATE_ATTRIBUTES, STATE_TABLE_KEYS } from './state-table.js';

/** DynamoDB's limit of keys per BatchGetItem. */
const KEYS_PER_REQUEST = 100;

export interface ProcessWatermarksLocation {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** Each process's watermark; a process without one (never completed a run) is left out. */
export async function readProcessWatermarks(
  { client, tableName }: ProcessWatermarksLocation,
  processIds: readonly string[],
): Promise<Map<string, string>> {
  const processOf = new Map(
    processIds.map((processId) => [processKey(processId)[STATE_TABLE_KEYS.partitionKey]?.S, processId]),
  );
  const watermarks = new Map<string, string>();
  for (let start = 0; start < processIds.length; start += KEYS_PER_REQUEST) {
    const keys = processIds.slice(start, start + KEYS_PER_REQUEST).map(processKey);
    const { remaining } = await sendUntilProcessed(
      keys,
      async (batch) => {
        const request: KeysAndAttributes = {
          Keys: [...batch],
          ProjectionExpression: '#pk, #watermark',
          ExpressionAttributeNames: {
            '#pk': STATE_TABLE_KEYS.partitionKey,
            '#watermark': STATE_ATTRIBUTES.watermark,
          },
        };
        const output = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: request } }));
        for (const item of output.Responses?.[tableName] ?? []) {
          const processId = processOf.get(item[STATE_TABLE_KEYS.partitionKey]?.S);
          const watermark = item[STATE_ATTRIBUTES.watermark]?.S;
          if (processId !== undefined && watermark !== undefined) watermarks.set(processId, watermark);
        }
        return output.UnprocessedKeys?.[tableName]?.Keys ?? [];
      },
      retryPacingOf({}),
    );
    if (remaining.length > 0) {
      throw new Error(`DynamoDB left ${remaining.length} watermark reads unprocessed (table ${tableName})`);
    }
  }
  return watermarks;
}
