import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDbRunCoordination } from '../../../shared/adapters/dynamodb/dynamodb-run-coordination.js';
import { checkpointKey } from '../../../shared/adapters/dynamodb/state-table.js';
import { ManualClock } from '../../fakes/in-memory-ports.js';
import { createLocalDynamoDbClient, createStateTable } from '../../support/dynamodb-test-table.js';

const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
const clock = new ManualClock(new Date('2026-11-27T12:00:00Z'));
let tableName: string;
const coordination = () => createDynamoDbRunCoordination({ client, tableName, clock });
const inSeconds = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);

beforeAll(async () => {
  tableName = await createStateTable(client);
});

afterAll(() => client.destroy());

describe('DynamoDB run lease against DynamoDB Local', () => {
  it('lets only one of two overlapping runs hold the lease of a process', async () => {
    const store = coordination();

    const results = await Promise.all([
      store.acquireLease('p-race', 'run-a', inSeconds(300)),
      store.acquireLease('p-race', 'run-b', inSeconds(300)),
    ]);

    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('hands the lease over once it is released or expired, and not before', async () => {
    const store = coordination();
    await store.acquireLease('p-1', 'run-a', inSeconds(60));

    expect(await store.acquireLease('p-1', 'run-b', inSeconds(60))).toBe(false);
    await store.releaseLease('p-1', 'run-b');
    expect(await store.acquireLease('p-1', 'run-b', inSeconds(60))).toBe(false);

    clock.advance(61);
    expect(await store.acquireLease('p-1', 'run-b', inSeconds(60))).toBe(true);
    await store.releaseLease('p-1', 'run-a');
    expect(await store.acquireLease('p-1', 'run-c', inSeconds(60))).toBe(false);
    await store.releaseLease('p-1', 'run-b');
    expect(await store.acquireLease('p-1', 'run-c', inSeconds(60))).toBe(true);
  });

  it('keeps leases of different processes apart', async () => {
    const store = coordination();

    expect(await store.acquireLease('p-x', 'run-a', inSeconds(60))).toBe(true);
    expect(await store.acquireLease('p-y', 'run-b', inSeconds(60))).toBe(true);
  });
});

describe('DynamoDB checkpoints against DynamoDB Local', () => {
  it('saves, reads back and clears the checkpoint of a process', async () => {
    const store = coordination();
    const checkpoint = {
      window: { updatedAfter: '2026-11-27T11:00:00.000Z', updatedBefore: '2026-11-27T12:00:00.000Z' },
      after: 'cursor-42',
      baseline: false,
    };

    expect(await store.getCheckpoint('p-c')).toBeUndefined();
    await store.saveCheckpoint('p-c', checkpoint);
    expect(await store.getCheckpoint('p-c')).toEqual(checkpoint);
    await store.clearCheckpoint('p-c');
    expect(await store.getCheckpoint('p-c')).toBeUndefined();
  });

  it('refuses a corrupt checkpoint with a message saying how to recover', async () => {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...checkpointKey('p-bad'), checkpoint: { S: '{"after":1}' } },
      }),
    );

    await expect(coordination().getCheckpoint('p-bad')).rejects.toThrow(
      /checkpoint of process p-bad .* Delete the item/,
    );
  });
});
