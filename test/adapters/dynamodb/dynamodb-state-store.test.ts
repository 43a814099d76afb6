import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDbStateStore } from '../../../shared/adapters/dynamodb/dynamodb-state-store.js';
import { CorruptStateError } from '../../../shared/adapters/dynamodb/state-store-errors.js';
import { projectKey, watermarkKey } from '../../../shared/adapters/dynamodb/state-table.js';
import type { JsonObject } from '../../../shared/core/json.js';
import type { StoredProject } from '../../../shared/core/ports.js';
import { createLocalDynamoDbClient, createStateTable } from '../../support/dynamodb-test-table.js';

const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
let tableName: string;

beforeAll(async () => {
  tableName = await createStateTable(client);
});

afterAll(() => {
  client.destroy();
});

function storeCountingRequests() {
  const requests: string[] = [];
  const store = createDynamoDbStateStore({
    client,
    tableName,
    sleep: async () => {},
    onRequest: (operation) => requests.push(operation),
  });
  return { store, requests };
}

/** A project whose JSON has the values DynamoDB's native types would mangle. */
function trickySnapshot(n: number): JsonObject {
  return {
    id: `project-${n}`,
    name: `Projekt ${n} – Übernahme 🚀`,
    dealValue: 1234567.891,
    probability: 0.1,
    emptyText: '',
    tags: [],
    owners: ['a', 'a', 'b'],
    nested: { matrix: [[1, 2], [], [null]], flag: false, nothing: null },
  };
}

describe('DynamoDB state store against DynamoDB Local', () => {
  it('reads back the hash and snapshot of 250 projects written over several batches', async () => {
    const { store, requests } = storeCountingRequests();
    const projects: StoredProject[] = Array.from({ length: 250 }, (_, n) => ({
      projectId: `project-${n}`,
      hash: `hash-${n}`,
      snapshot: trickySnapshot(n),
    }));

    await store.putProjects('round-trip', projects);
    const read = await store.getProjects(
      'round-trip',
      projects.map((project) => project.projectId),
    );

    expect(read.size).toBe(250);
    for (const project of projects) expect(read.get(project.projectId)).toEqual(project);
    expect(requests.filter((operation) => operation === 'BatchWriteItem')).toHaveLength(10);
    expect(requests.filter((operation) => operation === 'BatchGetItem')).toHaveLength(3);
  });

  it('leaves projects that were never stored out of the result', async () => {
    const { store } = storeCountingRequests();
    await store.putProjects('missing', [{ projectId: 'known', hash: 'h1', snapshot: { id: 'known' } }]);

    const read = await store.getProjects('missing', ['known', 'unknown-1', 'unknown-2']);

    expect([...read.keys()]).toEqual(['known']);
  });

  it("keeps one process's projects apart from another's", async () => {
    const { store } = storeCountingRequests();
    await store.putProjects('process-a', [
      { projectId: 'shared-id', hash: 'from-a', snapshot: { id: 'shared-id' } },
    ]);

    const read = await store.getProjects('process-b', ['shared-id']);

    expect(read.size).toBe(0);
  });

  it('replaces the stored state of a project that is saved again', async () => {
    const { store } = storeCountingRequests();
    await store.putProjects('resave', [
      { projectId: 'p', hash: 'old', snapshot: { id: 'p', stage: 'lead' } },
    ]);

    await store.putProjects('resave', [
      { projectId: 'p', hash: 'new', snapshot: { id: 'p', stage: 'closed' } },
    ]);

    expect((await store.getProjects('resave', ['p'])).get('p')).toEqual({
      projectId: 'p',
      hash: 'new',
      snapshot: { id: 'p', stage: 'closed' },
    });
  });

  it('lists every stored project of a process across query pages, and forgets deleted ones', async () => {
    const { store, requests } = storeCountingRequests();
    const big = 'x'.repeat(20_000);
    const projects: StoredProject[] = Array.from({ length: 120 }, (_, n) => ({
      projectId: `listed-${n}`,
      hash: `hash-${n}`,
      snapshot: { id: `listed-${n}`, notes: big },
    }));
    await store.putProjects('process-listed', projects);
    await store.putProjects('process-other', [{ projectId: 'elsewhere', hash: 'h' }]);
    await store.advanceWatermark('process-listed', '2026-01-01T00:00:00.000Z');

    const listed: StoredProject[] = [];
    for await (const page of store.listProjects('process-listed')) listed.push(...page);

    expect(listed.map((project) => project.projectId).sort()).toEqual(
      projects.map((p) => p.projectId).sort(),
    );
    expect(listed.find((project) => project.projectId === 'listed-7')?.snapshot).toEqual(
      projects[7]?.snapshot,
    );
    expect(requests.filter((operation) => operation === 'Query').length).toBeGreaterThan(1);

    await store.deleteProjects('process-listed', ['listed-0', 'listed-1', 'never-stored']);
    const after = await store.getProjects('process-listed', ['listed-0', 'listed-1', 'listed-2']);

    expect([...after.keys()]).toEqual(['listed-2']);
    expect(await store.getWatermark('process-listed')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('has no watermark for a process it has never seen', async () => {
    const { store } = storeCountingRequests();

    expect(await store.getWatermark('never-polled')).toBeUndefined();
  });

  it('moves the watermark forward and never back', async () => {
    const { store } = storeCountingRequests();

    await store.advanceWatermark('watermark', '2024-05-01T10:00:00.000Z');
    await store.advanceWatermark('watermark', '2024-05-01T09:59:59.999Z');
    const afterOlder = await store.getWatermark('watermark');
    await store.advanceWatermark('watermark', '2024-05-01T10:05:00.000Z');

    expect(afterOlder).toBe('2024-05-01T10:00:00.000Z');
    expect(await store.getWatermark('watermark')).toBe('2024-05-01T10:05:00.000Z');
  });

  it('compares watermarks as instants whatever offset they were written with', async () => {
    const { store } = storeCountingRequests();

    await store.advanceWatermark('offsets', '2024-05-01T12:00:00+02:00');
    await store.advanceWatermark('offsets', '2024-05-01T09:30:00Z');

    expect(await store.getWatermark('offsets')).toBe('2024-05-01T10:00:00.000Z');
  });

  it('keeps only the hash of a project too large to snapshot within the item limit', async () => {
    const { store } = storeCountingRequests();
    const huge: JsonObject = { id: 'huge', notes: 'x'.repeat(500 * 1024) };

    await store.putProjects('large', [{ projectId: 'huge', hash: 'hash-of-huge', snapshot: huge }]);
    const read = await store.getProjects('large', ['huge']);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: projectKey('large', 'huge') }),
    );

    expect(read.get('huge')).toEqual({ projectId: 'huge', hash: 'hash-of-huge' });
    expect(Item?.snapshotOmitted).toEqual({ BOOL: true });
    expect(Item?.snapshot).toBeUndefined();
  });

  it('names the process and project when a stored snapshot is not JSON', async () => {
    const { store } = storeCountingRequests();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...projectKey('corrupt', 'broken'), hash: { S: 'h' }, snapshot: { S: '{"id": "broken"' } },
      }),
    );

    const reading = store.getProjects('corrupt', ['broken']);

    await expect(reading).rejects.toThrow(CorruptStateError);
    await expect(reading).rejects.toThrow(/project broken in process corrupt.*not valid JSON/);
  });

  it('names the process and project when a stored item has no hash', async () => {
    const { store } = storeCountingRequests();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...projectKey('corrupt', 'hashless'), hash: { N: '1' } },
      }),
    );

    await expect(store.getProjects('corrupt', ['hashless'])).rejects.toThrow(
      /project hashless in process corrupt .*is corrupt: hash/,
    );
  });

  it('refuses a stored watermark that is not an instant', async () => {
    const { store } = storeCountingRequests();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...watermarkKey('bad-mark'), watermark: { S: 'yesterday' } },
      }),
    );

    await expect(store.getWatermark('bad-mark')).rejects.toThrow(
      /watermark of process bad-mark .*is corrupt/,
    );
  });
});
