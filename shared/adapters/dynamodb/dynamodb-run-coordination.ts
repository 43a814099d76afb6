/**
 * The run lease and the checkpoint of each process, in the state table beside its watermark.
 * Layer: adapter.
 * The lease is a conditional put: it succeeds only when no lease exists, the existing one has expired,
 * or this run already holds it. `expiresAt` doubles as the table's TTL attribute, so DynamoDB removes
 * abandoned leases eventually; the condition does not wait for that, since TTL deletion is lazy.
 */
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { Checkpoint, CheckpointStore, Clock, LeaseStore } from '../../core/ports.js';
import { CorruptStateError, isConditionalCheckFailure } from './state-store-errors.js';
import { checkpointKey, leaseKey, STATE_TABLE_KEYS } from './state-table.js';

export interface DynamoDbRunCoordinationOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default the system clock */
  readonly clock?: Clock;
  readonly onRequest?: (operation: string) => void;
}

const checkpointSchema = z.object({
  window: z.object({ updatedAfter: z.iso.datetime().optional(), updatedBefore: z.iso.datetime().optional() }),
  after: z.string().min(1),
  baseline: z.boolean(),
});

const checkpointItemSchema = z.object({ checkpoint: z.object({ S: z.string() }) });

export function createDynamoDbRunCoordination(
  options: DynamoDbRunCoordinationOptions,
): LeaseStore & CheckpointStore {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const onRequest = options.onRequest ?? (() => {});
  const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

  async function acquireLease(processId: string, owner: string, expiresAt: Date): Promise<boolean> {
    onRequest('PutItem');
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...leaseKey(processId),
            owner: { S: owner },
            [STATE_TABLE_KEYS.timeToLive]: { N: String(epochSeconds(expiresAt)) },
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: {
            '#pk': STATE_TABLE_KEYS.partitionKey,
            '#expiresAt': STATE_TABLE_KEYS.timeToLive,
            '#owner': 'owner',
          },
          ExpressionAttributeValues: {
            ':now': { N: String(epochSeconds(clock.now())) },
            ':owner': { S: owner },
          },
        }),
      );
      return true;
    } catch (e: unknown) {
      if (isConditionalCheckFailure(e)) return false;
      throw e;
    }
  }

  async function releaseLease(processId: string, owner: string): Promise<void> {
    onRequest('DeleteItem');
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: leaseKey(processId),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (e: unknown) {
      // Expired and taken over by another run: not ours to delete any more.
      if (!isConditionalCheckFailure(e)) throw e;
    }
  }

  async function getCheckpoint(processId: string): Promise<Checkpoint | undefined> {
    onRequest('GetItem');
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: checkpointKey(processId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const item = checkpointItemSchema.safeParse(Item);
    const parsed = item.success ? checkpointSchema.safeParse(parseJson(item.data.checkpoint.S)) : undefined;
    if (!parsed?.success) {
      throw new CorruptStateError(
        `Stored checkpoint of process ${processId} (table ${tableName}) is corrupt. ` +
          'Delete the item: the next run then reads the window from the watermark again.',
      );
    }
    return parsed.data;
  }

  async function saveCheckpoint(processId: string, checkpoint: Checkpoint): Promise<void> {
    onRequest('PutItem');
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          ...checkpointKey(processId),
          checkpoint: { S: JSON.stringify(checkpoint) },
          updatedAt: { S: clock.now().toISOString() },
        },
      }),
    );
  }

  async function clearCheckpoint(processId: string): Promise<void> {
    onRequest('DeleteItem');
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: checkpointKey(processId) }));
  }

  return { acquireLease, releaseLease, getCheckpoint, saveCheckpoint, clearCheckpoint };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
