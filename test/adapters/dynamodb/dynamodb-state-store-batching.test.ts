import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  BatchWriteItemCommand,
  DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDynamoDbStateStore } from '../../../shared/adapters/dynamodb/dynamodb-state-store.js';
import { UnprocessedBatchError } from '../../../shared/adapters/dynamodb/state-store-errors.js';
import type { StoredProject } from '../../../shared/core/ports.js';
import { pendingChange } from '../contracts/recorded-changes.js';

const TABLE = 'state-table';
const dynamoDb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({
  region: 'local',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const sleep = vi.fn(async (_ms: number) => {});

beforeEach(() => {
  dynamoDb.reset();
  sleep.mockClear();
});

function createStore() {
  return createDynamoDbStateStore({
    client,
    tableName: TABLE,
    sleep,
    backoff: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
  });
}

function ids(count: number): string[] {
  return Array.from({ length: count }, (_, n) => `project-${n}`);
}

function projects(count: number): StoredProject[] {
  return ids(count).map((projectId) => ({
    projectId,
    hash: `hash-of-${projectId}`,
    sequence: 1,
    snapshot: { id: projectId },
  }));
}

/** What the table would answer for a key: an item with a hash derived from its sort key. */
function itemFor(key: Record<string, AttributeValue>): Record<string, AttributeValue> {
  return { ...key, hash: { S: `hash-of-${key.sk?.S}` } };
}

function keysOf(input: BatchGetItemCommandInput): Record<string, AttributeValue>[] {
  return input.RequestItems?.[TABLE]?.Keys ?? [];
}

function batchGetSizes(): number[] {
  return dynamoDb.commandCalls(BatchGetItemCommand).map((call) => keysOf(call.args[0].input).length);
}

function batchWriteRequests(): WriteRequest[][] {
  return dynamoDb
    .commandCalls(BatchWriteItemCommand)
    .map((call) => call.args[0].input.RequestItems?.[TABLE] ?? []);
}

describe('DynamoDB state store batching', () => {
  it('reads 250 projects in 3 BatchGetItem calls of at most 100 keys, each id once', async () => {
    dynamoDb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => ({
      Responses: { [TABLE]: keysOf(input).map(itemFor) },
    }));

    const read = await createStore().getProjects('p-1', [...ids(250), 'project-0', 'project-1']);

    expect(dynamoDb).toHaveReceivedCommandTimes(BatchGetItemCommand, 3);
    expect(batchGetSizes().sort((a, b) => a - b)).toEqual([50, 100, 100]);
    expect(read.size).toBe(250);
    expect(read.get('project-7')).toEqual({
      projectId: 'project-7',
      hash: 'hash-of-PROJECT#project-7',
      sequence: 0,
    });
  });

  it('reads with strong consistency so a run sees what the previous one saved', async () => {
    dynamoDb.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [] } });

    await createStore().getProjects('p-1', ['a']);

    expect(dynamoDb).toHaveReceivedCommandWith(BatchGetItemCommand, {
      RequestItems: { [TABLE]: expect.objectContaining({ ConsistentRead: true }) },
    });
  });

  it('writes 60 projects in 3 BatchWriteItem calls of at most 25 items', async () => {
    dynamoDb.on(BatchWriteItemCommand).resolves({});

    await createStore().putProjects('p-1', projects(60));

    expect(dynamoDb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 3);
    expect(batchWriteRequests().map((requests) => requests.length)).toEqual([25, 25, 10]);
  });

  it('asks again for keys DynamoDB left unprocessed until every project is read', async () => {
    let call = 0;
    dynamoDb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => {
      call++;
      const keys = keysOf(input);
      const answered = call === 1 ? keys.slice(0, 70) : keys;
      const left = call === 1 ? keys.slice(70) : [];
      return {
        Responses: { [TABLE]: answered.map(itemFor) },
        UnprocessedKeys: left.length ? { [TABLE]: { Keys: left } } : {},
      };
    });

    const read = await createStore().getProjects('p-1', ids(100));

    expect(read.size).toBe(100);
    expect(batchGetSizes()).toEqual([100, 30]);
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('resends only the items DynamoDB left unprocessed until all are written', async () => {
    dynamoDb
      .on(BatchWriteItemCommand)
      .callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
        const requests = input.RequestItems[TABLE] ?? [];
        return { UnprocessedItems: requests.length > 5 ? { [TABLE]: requests.slice(-5) } : {} };
      });

    await createStore().putProjects('p-1', projects(20));

    const sent = batchWriteRequests();
    expect(sent.map((requests) => requests.length)).toEqual([20, 5]);
    expect(sent[1]).toEqual(sent[0]?.slice(-5));
  });

  it('keeps resending while DynamoDB makes progress, even past the attempt limit', async () => {
    dynamoDb
      .on(BatchWriteItemCommand)
      .callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
        const requests = input.RequestItems[TABLE] ?? [];
        return { UnprocessedItems: requests.length > 1 ? { [TABLE]: requests.slice(1) } : {} };
      });

    await createStore().putProjects('p-1', projects(6));

    expect(dynamoDb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 6);
  });

  it('fails naming the projects DynamoDB never processed, after the policy gives up', async () => {
    dynamoDb
      .on(BatchWriteItemCommand)
      .callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => ({
        UnprocessedItems: input.RequestItems,
      }));

    const writing = createStore().putProjects('p-1', projects(2));

    await expect(writing).rejects.toThrow(UnprocessedBatchError);
    await expect(writing).rejects.toThrow(
      /BatchWriteItem for process p-1 left 2 project\(s\).*project-0, project-1/,
    );
    expect(dynamoDb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 3);
  });

  it('fails when keys stay unprocessed on every read attempt', async () => {
    dynamoDb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => ({
      UnprocessedKeys: { [TABLE]: { Keys: keysOf(input) } },
    }));

    await expect(createStore().getProjects('p-1', ids(3))).rejects.toThrow(
      /BatchGetItem for process p-1 left 3/,
    );
    expect(dynamoDb).toHaveReceivedCommandTimes(BatchGetItemCommand, 3);
  });

  it('writes the same project once per request, keeping the last state given', async () => {
    dynamoDb.on(BatchWriteItemCommand).resolves({});

    await createStore().putProjects('p-1', [
      { projectId: 'p', hash: 'first', sequence: 1 },
      { projectId: 'p', hash: 'second', sequence: 2 },
    ]);

    const [requests] = batchWriteRequests();
    expect(requests).toHaveLength(1);
    expect(requests?.[0]?.PutRequest?.Item?.hash).toEqual({ S: 'second' });
  });

  it('does not call DynamoDB for an empty read or write', async () => {
    const store = createStore();

    const read = await store.getProjects('p-1', []);
    await store.putProjects('p-1', []);

    expect(read.size).toBe(0);
    expect(dynamoDb).not.toHaveReceivedAnyCommand();
  });

  it('records 30 changes in 2 BatchWriteItem calls, resending what DynamoDB left unprocessed', async () => {
    let call = 0;
    dynamoDb
      .on(BatchWriteItemCommand)
      .callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => {
        call++;
        const requests = input.RequestItems[TABLE] ?? [];
        return { UnprocessedItems: call === 1 ? { [TABLE]: requests.slice(-3) } : {} };
      });
    const changes = ids(30).map((id) => pendingChange('created', id, 1, { processId: 'p-1' }));

    await createStore().recordChanges('p-1', changes, new Date('2026-11-27T10:00:00.000Z'));

    const sent = batchWriteRequests();
    expect(sent.map((requests) => requests.length).sort((a, b) => a - b)).toEqual([3, 5, 25]);
    const written = new Set(sent.flat().map((request) => request.PutRequest?.Item?.event?.S));
    expect(written).toEqual(new Set(changes.map((change) => JSON.stringify(change.event))));
  });

  it('fails naming the projects whose changes DynamoDB never recorded', async () => {
    dynamoDb
      .on(BatchWriteItemCommand)
      .callsFake((input: { RequestItems: Record<string, WriteRequest[]> }) => ({
        UnprocessedItems: input.RequestItems,
      }));
    const longId = `long-${'x'.repeat(2_000)}`;

    const recording = createStore().recordChanges(
      'p-1',
      [pendingChange('updated', longId, 2, { processId: 'p-1' })],
      new Date('2026-11-27T10:00:00.000Z'),
    );

    await expect(recording).rejects.toThrow(UnprocessedBatchError);
    await expect(recording).rejects.toThrow(/BatchWriteItem for process p-1 left 1 project\(s\).*long-xxx/);
  });

  it('does not call DynamoDB to record no changes', async () => {
    await createStore().recordChanges('p-1', [], new Date('2026-11-27T10:00:00.000Z'));

    expect(dynamoDb).not.toHaveReceivedAnyCommand();
  });
});
