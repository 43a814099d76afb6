import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDbStateStore } from '../../../shared/adapters/dynamodb/dynamodb-state-store.js';
import { CorruptStateError } from '../../../shared/adapters/dynamodb/state-store-errors.js';
import {
  eventKey,
  processPartitionKey,
  projectKey,
  quarantineKey,
  STATE_TABLE_KEYS,
} from '../../../shared/adapters/dynamodb/state-table.js';
import { DEFAULT_EVENT_RETENTION_DAYS } from '../../../shared/config/poll-defaults.js';
import type { JsonObject } from '../../../shared/core/json.js';
import type { StoredProject } from '../../../shared/core/ports.js';
import { createLocalDynamoDbClient, createStateTable } from '../../support/dynamodb-test-table.js';
import {
  allListed,
  allOf,
  allRecorded,
  pendingChange,
  trickyProjectIds,
} from '../contracts/recorded-changes.js';
import { describeStateStoreContract } from '../contracts/state-store-contract.js';

const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
let tableName: string;

beforeAll(async () => {
  tableName = await createStateTable(client);
});

afterAll(() => {
  client.destroy();
});

function storeCountingRequests(options: { eventRetentionDays?: number } = {}) {
  const requests: string[] = [];
  const store = createDynamoDbStateStore({
    client,
    tableName,
    sleep: async () => {},
    onRequest: (operation) => requests.push(operation),
    ...options,
  });
  return { store, requests };
}

/** Every item of a process's partition as DynamoDB holds it. */
async function rawItems(processId: string) {
  const items = [];
  let startKey: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': STATE_TABLE_KEYS.partitionKey },
        ExpressionAttributeValues: { ':pk': { S: processPartitionKey(processId) } },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey as typeof startKey;
  } while (startKey !== undefined);
  return items;
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

describeStateStoreContract('DynamoDB state store', () => storeCountingRequests().store);

describe('DynamoDB state store against DynamoDB Local', () => {
  it('reads back the hash, sequence and snapshot of 250 projects written over several batches', async () => {
    const { store, requests } = storeCountingRequests();
    const projects: StoredProject[] = Array.from({ length: 250 }, (_, n) => ({
      projectId: `project-${n}`,
      hash: `hash-${n}`,
      sequence: n,
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

  it("keeps one process's projects apart from another's", async () => {
    const { store } = storeCountingRequests();
    await store.putProjects('process-a', [
      { projectId: 'shared-id', hash: 'from-a', sequence: 1, snapshot: { id: 'shared-id' } },
    ]);

    const read = await store.getProjects('process-b', ['shared-id']);

    expect(read.size).toBe(0);
  });

  it('replaces the stored state of a project that is saved again', async () => {
    const { store } = storeCountingRequests();
    await store.putProjects('resave', [
      { projectId: 'p', hash: 'old', sequence: 1, snapshot: { id: 'p', stage: 'lead' } },
    ]);

    await store.putProjects('resave', [
      { projectId: 'p', hash: 'new', sequence: 2, snapshot: { id: 'p', stage: 'closed' } },
    ]);

    expect((await store.getProjects('resave', ['p'])).get('p')).toEqual({
      projectId: 'p',
      hash: 'new',
      sequence: 2,
      snapshot: { id: 'p', stage: 'closed' },
    });
  });

  it('lists every stored project of a process across query pages, and no recorded event', async () => {
    const { store, requests } = storeCountingRequests();
    const big = 'x'.repeat(20_000);
    const projects: StoredProject[] = Array.from({ length: 120 }, (_, n) => ({
      projectId: `listed-${n}`,
      hash: `hash-${n}`,
      sequence: 1,
      snapshot: { id: `listed-${n}`, notes: big },
    }));
    await store.putProjects('process-listed', projects);
    await store.putProjects('process-other', [{ projectId: 'elsewhere', hash: 'h', sequence: 1 }]);
    await store.recordChanges(
      'process-listed',
      [pendingChange('created', 'listed-0', 1, { processId: 'process-listed' })],
      new Date('2026-11-27T10:00:00.000Z'),
    );

    const listed = await allListed(store, 'process-listed');

    expect(listed.map((project) => project.projectId).sort()).toEqual(
      projects.map((p) => p.projectId).sort(),
    );
    expect(listed.find((project) => project.projectId === 'listed-7')).toEqual(projects[7]);
    expect(requests.filter((operation) => operation === 'Query').length).toBeGreaterThan(1);
  });

  it('keeps only the hash of a project too large to snapshot within the item limit', async () => {
    const { store } = storeCountingRequests();
    const huge: JsonObject = { id: 'huge', notes: 'x'.repeat(500 * 1024) };

    await store.putProjects('large', [
      { projectId: 'huge', hash: 'hash-of-huge', sequence: 3, snapshot: huge },
    ]);
    const read = await store.getProjects('large', ['huge']);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: projectKey('large', 'huge') }),
    );

    expect(read.get('huge')).toEqual({ projectId: 'huge', hash: 'hash-of-huge', sequence: 3 });
    expect(Item?.snapshotOmitted).toEqual({ BOOL: true });
    expect(Item?.snapshot).toBeUndefined();
  });

  it('reads a layout-1 project item (no id attribute, no sequence) as sequence 0', async () => {
    const { store } = storeCountingRequests();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...projectKey('layout-1', 'old'), hash: { S: 'h' }, snapshot: { S: '{"id":"old"}' } },
      }),
    );

    expect((await store.getProjects('layout-1', ['old'])).get('old')).toEqual({
      projectId: 'old',
      hash: 'h',
      sequence: 0,
      snapshot: { id: 'old' },
    });
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

  it('names the process and project when a stored item has no hash or a bad sequence', async () => {
    const { store } = storeCountingRequests();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...projectKey('corrupt', 'hashless'), hash: { N: '1' } },
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...projectKey('corrupt', 'unnumbered'), hash: { S: 'h' }, sequence: { S: 'three' } },
      }),
    );

    await expect(store.getProjects('corrupt', ['hashless'])).rejects.toThrow(
      /project hashless in process corrupt .*is corrupt: hash/,
    );
    await expect(store.getProjects('corrupt', ['unnumbered'])).rejects.toThrow(
      /project unnumbered in process corrupt .*is corrupt: sequence/,
    );
  });

  it('keys every item within DynamoDB limits, whatever the project id, keeping the id itself', async () => {
    const { store } = storeCountingRequests();
    const ids = trickyProjectIds();
    await store.putProjects(
      'bounded-keys',
      ids.map((projectId, n) => ({ projectId, hash: `h-${n}`, sequence: 1 })),
    );
    await store.recordChanges(
      'bounded-keys',
      ids.map((projectId) => pendingChange('created', projectId, 1, { processId: 'bounded-keys' })),
      new Date('2026-11-27T10:00:00.000Z'),
    );

    const items = await rawItems('bounded-keys');

    expect(items).toHaveLength(ids.length * 2);
    for (const item of items) {
      expect(Buffer.byteLength(item.sk?.S ?? '', 'utf8')).toBeLessThanOrEqual(1024);
    }
    expect(new Set(items.map((item) => item.projectId?.S))).toEqual(new Set(ids));
    const longId = ids[0] ?? '';
    expect(items.some((item) => item.sk?.S?.includes(longId))).toBe(false);
  });
});

describe('DynamoDB quarantine against DynamoDB Local', () => {
  it('lists a project kept for retry as kept, and one too large to keep as not kept, reading no body', async () => {
    const { store, requests } = storeCountingRequests();
    const huge = { id: 'huge', notes: 'x'.repeat(500 * 1024) };
    await store.quarantine('kept-flag', [
      { projectId: 'small', reason: 'refused', since: '2026-12-06T00:00:00.000Z', body: { id: 'small' } },
      { projectId: 'huge', reason: 'refused', since: '2026-12-06T00:00:00.000Z', body: huge },
    ]);
    requests.length = 0;

    const listed = (await allOf(store.listQuarantine('kept-flag'))).map(({ projectId, kept }) => ({
      projectId,
      kept,
    }));

    expect(listed).toEqual([
      { projectId: 'huge', kept: false },
      { projectId: 'small', kept: true },
    ]);
    expect(requests).toEqual(['Query']);
    expect((await allOf(store.keptInQuarantine('kept-flag'))).map((entry) => entry.projectId)).toEqual([
      'small',
    ]);
  });

  it('lists an entry written before entries said whether they kept a body without saying, and retries its body', async () => {
    const { store } = storeCountingRequests();
    const since = '2026-12-01T00:00:00.000Z';
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          ...quarantineKey('before-flag', 'old'),
          projectId: { S: 'old' },
          reason: { S: 'refused' },
          since: { S: since },
          body: { S: '{"id":"old"}' },
        },
      }),
    );

    expect(await allOf(store.listQuarantine('before-flag'))).toEqual([
      { projectId: 'old', reason: 'refused', since },
    ]);
    expect(await allOf(store.keptInQuarantine('before-flag'))).toEqual([
      { projectId: 'old', reason: 'refused', since, body: { id: 'old' } },
    ]);
  });
});

describe('DynamoDB event log against DynamoDB Local', () => {
  it('gives back every event of a log larger than one 1 MB query page, in order', async () => {
    const { store, requests } = storeCountingRequests();
    const processId = 'big-log';
    const notes = 'n'.repeat(60_000);
    const changes = Array.from({ length: 40 }, (_, n) =>
      pendingChange('updated', `p-${String(n).padStart(2, '0')}`, n + 1, {
        processId,
        project: { id: `p-${n}`, notes },
      }),
    );
    await store.recordChanges(processId, changes.slice(0, 20), new Date('2026-11-27T10:00:00.000Z'));
    await store.recordChanges(processId, changes.slice(20), new Date('2026-11-27T10:00:01.000Z'));
    requests.length = 0;

    const recorded = await allRecorded(store, processId, { since: '2026-11-27T10:00:00.000Z' });

    expect(recorded.map((change) => change.event)).toEqual(changes.map((change) => change.event));
    expect(requests.filter((operation) => operation === 'Query').length).toBeGreaterThan(2);
  });

  it('lets each recorded event expire after the retention period', async () => {
    const recordedAt = new Date('2026-11-27T10:00:00.500Z');
    const change = pendingChange('created', 'p', 1, { processId: 'ttl' });
    await storeCountingRequests({ eventRetentionDays: 3 }).store.recordChanges('ttl', [change], recordedAt);
    await storeCountingRequests().store.recordChanges('ttl-default', [change], recordedAt);

    const key = (processId: string) =>
      eventKey(processId, recordedAt.toISOString(), 'p', change.event.sequence);
    const read = async (processId: string) =>
      (await client.send(new GetItemCommand({ TableName: tableName, Key: key(processId) }))).Item;

    const epochSeconds = Math.floor(recordedAt.getTime() / 1000);
    expect((await read('ttl'))?.[STATE_TABLE_KEYS.timeToLive]).toEqual({
      N: String(epochSeconds + 3 * 86_400),
    });
    expect((await read('ttl-default'))?.[STATE_TABLE_KEYS.timeToLive]).toEqual({
      N: String(epochSeconds + DEFAULT_EVENT_RETENTION_DAYS * 86_400),
    });
  });

  it('names the process and item when a recorded event is damaged', async () => {
    const { store } = storeCountingRequests();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          ...eventKey('corrupt-log', '2026-11-27T10:00:00.000Z', 'p', '00000000000000000001'),
          event: { S: '{"id": "cut off' },
          projectId: { S: 'p' },
          hash: { S: 'h' },
          sequence: { N: '1' },
          recordedAt: { S: '2026-11-27T10:00:00.000Z' },
        },
      }),
    );

    const reading = allRecorded(store, 'corrupt-log', { since: '2026-11-27T00:00:00.000Z' });

    await expect(reading).rejects.toThrow(CorruptStateError);
    await expect(reading).rejects.toThrow(
      /recorded event of process corrupt-log .*EVENT#2026-11-27T10:00:00.000Z#p#/,
    );
  });

  it("refuses to hand back, for replay, a recorded event that is no longer a change event or not the item's", async () => {
    const { store } = storeCountingRequests();
    const eventOf = (processId: string) => ({
      specversion: '1.0',
      id: '0123456789abcdef0123456789abcdef',
      source: `https://api.app-eu.midaxo.com/processes/${processId}/projects/p`,
      type: 'com.midaxo.project.updated',
      subject: 'p',
      sequence: '00000000000000000001',
      time: '2026-11-27T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: {
        processId,
        projectId: 'p',
        changes: [{ path: '/stage', after: 'Closed' }],
        project: { id: 'p' },
      },
    });
    const record = (processId: string, event: object) =>
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...eventKey(processId, '2026-11-27T10:00:00.000Z', 'p', '00000000000000000001'),
            event: { S: JSON.stringify(event) },
            projectId: { S: 'p' },
            hash: { S: 'h' },
            sequence: { N: '1' },
            recordedAt: { S: '2026-11-27T10:00:00.000Z' },
          },
        }),
      );
    const recorded = (processId: string) =>
      allRecorded(store, processId, { since: '2026-11-27T00:00:00.000Z' });
    const damages: Record<string, (event: ReturnType<typeof eventOf>) => object> = {
      'an unknown type': (event) => ({ ...event, type: 'com.midaxo.project.renamed' }),
      'changes that are no list': (event) => ({ ...event, data: { ...event.data, changes: 'stage' } }),
      'a sequence of another format': (event) => ({ ...event, sequence: '1' }),
      // Checks of the published contract (docs/schema/) beyond the envelope:
      'an id that is not 32 hex digits': (event) => ({ ...event, id: 'e1' }),
      'a time that is no instant': (event) => ({ ...event, time: 'yesterday' }),
      'a change path that is no JSON Pointer': (event) => ({
        ...event,
        data: { ...event.data, changes: [{ path: 'stage', after: 'Closed' }] },
      }),
      'another project': (event) => ({ ...event, data: { ...event.data, projectId: 'q' } }),
      'another process': (event) => ({ ...event, data: { ...event.data, processId: 'elsewhere' } }),
    };

    for (const [index, [damage, damaged]] of Object.entries(damages).entries()) {
      const processId = `damaged-${index}`;
      await record(processId, damaged(eventOf(processId)));
      await expect(recorded(processId), damage).rejects.toThrow(CorruptStateError);
    }
    await record('intact', eventOf('intact'));
    expect((await recorded('intact')).map((change) => change.event)).toEqual([eventOf('intact')]);
  });
});
