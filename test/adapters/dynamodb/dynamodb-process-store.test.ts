import { type AttributeValue, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDbProcessStore } from '../../../shared/adapters/dynamodb/dynamodb-process-store.js';
import { CorruptStateError } from '../../../shared/adapters/dynamodb/state-store-errors.js';
import { legacyKey, processKey, STATE_LAYOUT } from '../../../shared/adapters/dynamodb/state-table.js';
import type { RunEnd } from '../../../shared/core/ports.js';
import { ManualClock } from '../../fakes/in-memory-ports.js';
import {
  createLocalDynamoDbClient,
  createStateTable,
  storedWatermark,
} from '../../support/dynamodb-test-table.js';
import {
  describeProcessStoreContract,
  runOnce,
  SAMPLE_CHECKPOINT,
} from '../contracts/process-store-contract.js';

const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
const clock = new ManualClock(new Date('2026-11-27T12:00:00Z'));
let tableName: string;
const inSeconds = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);
const delivered: RunEnd = { outboxDelivered: true };

function storeCountingRequests() {
  const requests: string[] = [];
  const store = createDynamoDbProcessStore({
    client,
    tableName,
    clock,
    onRequest: (operation) => requests.push(operation),
  });
  return { store, requests };
}

const processStore = () => storeCountingRequests().store;

async function writeItem(item: Record<string, AttributeValue>): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

/** Layout-1 items, as a stack deployed before the process item left them. */
async function writeLegacyItems(processId: string, watermark: string, checkpoint?: string): Promise<void> {
  await writeItem({ ...legacyKey(processId, 'watermark'), watermark: { S: watermark } });
  if (checkpoint !== undefined) {
    await writeItem({ ...legacyKey(processId, 'checkpoint'), checkpoint: { S: checkpoint } });
  }
}

async function processItem(processId: string) {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: processKey(processId), ConsistentRead: true }),
  );
  return Item;
}

async function expectCorrupt(processId: string, message: RegExp): Promise<void> {
  const claiming = processStore().claim(processId, 'run', inSeconds(60));
  await expect(claiming).rejects.toThrow(CorruptStateError);
  await expect(claiming).rejects.toThrow(message);
}

beforeAll(async () => {
  tableName = await createStateTable(client);
});

afterAll(() => client.destroy());

describeProcessStoreContract('DynamoDB process store', processStore, clock);

describe('DynamoDB process claim against DynamoDB Local', () => {
  it('lets only one of two racing runs claim a process', async () => {
    const store = processStore();

    const results = await Promise.all([
      store.claim('p-race', 'run-a', inSeconds(300)),
      store.claim('p-race', 'run-b', inSeconds(300)),
    ]);

    expect(results.filter((claim) => claim !== undefined)).toHaveLength(1);
  });

  it('keeps claims of different processes apart', async () => {
    const store = processStore();

    expect(await store.claim('p-x', 'run-a', inSeconds(60))).toBeDefined();
    expect(await store.claim('p-y', 'run-b', inSeconds(60))).toBeDefined();
  });

  it('keeps the progress of a run whose claim expired and was taken over', async () => {
    const store = processStore();
    await store.claim('p-slow', 'slow-run', inSeconds(60));
    clock.advance(61);
    await store.claim('p-slow', 'next-run', inSeconds(60));

    await store.release('p-slow', 'slow-run', { watermark: '2026-11-27T12:00:00.000Z', ...delivered });

    expect(await storedWatermark(client, tableName, 'p-slow')).toBe('2026-11-27T12:00:00.000Z');
    expect(await store.claim('p-slow', 'third-run', inSeconds(60))).toBeUndefined();
  });

  it('costs an idle run exactly 2 requests: one claim, one release', async () => {
    const { store, requests } = storeCountingRequests();
    await runOnce(store, 'p-idle', { watermark: '2026-11-27T11:55:00.000Z', ...delivered });
    requests.length = 0;

    const claim = await store.claim('p-idle', 'run', inSeconds(60));
    await store.release('p-idle', 'run', { watermark: '2026-11-27T12:00:00.000Z', ...delivered });

    expect(claim).toEqual({ watermark: '2026-11-27T11:55:00.000Z' });
    expect(requests).toEqual(['UpdateItem', 'UpdateItem']);
    expect(await storedWatermark(client, tableName, 'p-idle')).toBe('2026-11-27T12:00:00.000Z');
  });

  it('refuses a watermark that is not an instant before calling DynamoDB, and keeps the claim', async () => {
    const { store, requests } = storeCountingRequests();
    await store.claim('p-soon', 'run', inSeconds(60));
    requests.length = 0;

    await expect(store.release('p-soon', 'run', { watermark: 'soon', ...delivered })).rejects.toThrow(
      /watermark of process p-soon must be an ISO-8601 instant, got "soon"/,
    );
    expect(requests).toEqual([]);
    expect(await store.claim('p-soon', 'other-run', inSeconds(60))).toBeUndefined();
  });

  it('gives the next run what a crashed run left, once its claim expired', async () => {
    const store = processStore();
    await runOnce(store, 'p-crash', {
      watermark: '2026-11-27T11:00:00.000Z',
      checkpoint: SAMPLE_CHECKPOINT,
      ...delivered,
    });
    await store.claim('p-crash', 'crashing-run', inSeconds(60));
    await store.openOutbox('p-crash', 'crashing-run', '2026-11-27T12:00:00.000Z');

    const tooEarly = await store.claim('p-crash', 'next-run', inSeconds(60));
    clock.advance(61);
    const next = await store.claim('p-crash', 'next-run', inSeconds(60));

    expect(tooEarly).toBeUndefined();
    expect(next).toEqual({
      watermark: '2026-11-27T11:00:00.000Z',
      checkpoint: SAMPLE_CHECKPOINT,
      outboxSince: '2026-11-27T12:00:00.000Z',
    });
  });

  it('does not open the outbox for a run that no longer holds the claim', async () => {
    const store = processStore();
    await store.claim('p-lost', 'run-a', inSeconds(60));
    clock.advance(61);
    await store.claim('p-lost', 'run-b', inSeconds(60));

    await expect(store.openOutbox('p-lost', 'run-a', '2026-11-27T12:00:00.000Z')).rejects.toThrow(
      /conditional/i,
    );
    expect((await processItem('p-lost'))?.outboxSince).toBeUndefined();
  });

  it('names a corrupt watermark or checkpoint of the process item', async () => {
    await writeItem({ ...processKey('p-bad-mark'), watermark: { S: 'yesterday' } });
    await writeItem({
      ...processKey('p-bad-checkpoint'),
      watermark: { S: '2026-11-27T11:00:00.000Z' },
      layout: { N: String(STATE_LAYOUT) },
      checkpoint: { S: '{"after":1}' },
    });

    await expectCorrupt('p-bad-mark', /watermark of process p-bad-mark .*is not an instant/);
    await expectCorrupt('p-bad-checkpoint', /checkpoint of process p-bad-checkpoint .*is corrupt/);
  });
});

describe('DynamoDB process store migration from layout 1', () => {
  const legacyWatermark = '2026-11-20T08:00:00.000Z';

  it('claims with the layout-1 watermark and checkpoint, moves them on release, then reads only its item', async () => {
    const { store, requests } = storeCountingRequests();
    await writeLegacyItems('m-1', legacyWatermark, JSON.stringify(SAMPLE_CHECKPOINT));

    const first = await store.claim('m-1', 'run', inSeconds(60));
    await store.release('m-1', 'run', {
      watermark: '2026-11-27T12:00:00.000Z',
      checkpoint: null,
      ...delivered,
    });
    const firstRequests = requests.splice(0);
    const second = await runOnce(store, 'm-1');

    expect(first).toEqual({ watermark: legacyWatermark, checkpoint: SAMPLE_CHECKPOINT });
    expect(firstRequests).toEqual(['UpdateItem', 'BatchGetItem', 'UpdateItem']);
    expect(second).toEqual({ watermark: '2026-11-27T12:00:00.000Z' });
    expect(requests).toEqual(['UpdateItem', 'UpdateItem']);
  });

  it('keeps the layout-1 watermark and checkpoint when the first run fails or is interrupted', async () => {
    const { store, requests } = storeCountingRequests();
    await writeLegacyItems('m-failed', legacyWatermark, JSON.stringify(SAMPLE_CHECKPOINT));
    await writeLegacyItems('m-interrupted', legacyWatermark);

    await runOnce(store, 'm-failed', { outboxDelivered: false });
    await runOnce(store, 'm-interrupted', {
      checkpoint: { ...SAMPLE_CHECKPOINT, after: 'cursor-43' },
      ...delivered,
    });
    requests.length = 0;
    const afterFailure = await runOnce(store, 'm-failed');
    const afterInterruption = await runOnce(store, 'm-interrupted');

    expect(afterFailure).toEqual({ watermark: legacyWatermark, checkpoint: SAMPLE_CHECKPOINT });
    expect(afterInterruption).toEqual({
      watermark: legacyWatermark,
      checkpoint: { ...SAMPLE_CHECKPOINT, after: 'cursor-43' },
    });
    expect(requests).toEqual(['UpdateItem', 'UpdateItem', 'UpdateItem', 'UpdateItem']);
    expect((await processItem('m-failed'))?.layout).toEqual({ N: String(STATE_LAYOUT) });
  });

  it('keeps the later of the layout-1 watermark and an older one the run releases', async () => {
    const store = processStore();
    await writeLegacyItems('m-older', legacyWatermark);

    await runOnce(store, 'm-older', { watermark: '2026-11-01T00:00:00.000Z', ...delivered });

    expect(await storedWatermark(client, tableName, 'm-older')).toBe(legacyWatermark);
  });

  it('gives a crashed first run’s successor the layout-1 state again', async () => {
    const store = processStore();
    await writeLegacyItems('m-crash', legacyWatermark);
    await store.claim('m-crash', 'crashing-run', inSeconds(60));
    clock.advance(61);

    expect(await store.claim('m-crash', 'next-run', inSeconds(60))).toEqual({ watermark: legacyWatermark });
  });

  it('names a corrupt layout-1 watermark or checkpoint', async () => {
    await writeLegacyItems('m-bad-mark', 'not a time');
    await writeLegacyItems('m-bad-checkpoint', legacyWatermark, '{"window": {}');

    await expectCorrupt('m-bad-mark', /watermark of process m-bad-mark .*is not an instant/);
    await expectCorrupt('m-bad-checkpoint', /checkpoint of process m-bad-checkpoint .*is corrupt/);
  });
});
