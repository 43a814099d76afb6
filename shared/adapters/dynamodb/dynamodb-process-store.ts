/**
 * ProcessStore on DynamoDB: one item per process holds its claim, watermark, checkpoint and whether its
 * outbox is open, so an idle run costs two requests: one conditional UpdateItem that claims the process
 * and returns the rest, and one that gives it back, moving the watermark on the way.
 * Layer: adapter.
 *
 * The claim succeeds only when nobody holds it, the holder's claim has expired, or this run holds it.
 * The watermark only moves forward. A process whose item was never released by this layout (a stack
 * deployed before it, or a new process) is looked up once more in the layout-1 items (WATERMARK,
 * CHECKPOINT), so an upgrade keeps every watermark: no new baseline and no lost window.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Checkpoint, Clock, ProcessClaim, ProcessStore, RunEnd } from '../../core/ports.js';
import { isoInstant } from '../../support/iso-instant.js';
import { parseCheckpointJson } from '../checkpoint-json.js';
import { CorruptStateError, isConditionalCheckFailure } from './state-store-errors.js';
import { legacyKey, processKey, STATE_ATTRIBUTES, STATE_LAYOUT, STATE_TABLE_KEYS } from './state-table.js';

export interface DynamoDbProcessStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default the system clock */
  readonly clock?: Clock;
  readonly onRequest?: (operation: string) => void;
}

type Item = Record<string, AttributeValue>;

const A = STATE_ATTRIBUTES;

export function createDynamoDbProcessStore(options: DynamoDbProcessStoreOptions): ProcessStore {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const onRequest = options.onRequest ?? (() => {});
  /** What layout-1 items held, written into the process item when the run releases it. */
  const migrated = new Map<string, ProcessClaim>();

  async function update(
    processId: string,
    expression: string,
    condition: string | undefined,
    values: Item,
    returnItem = false,
  ): Promise<Item | undefined> {
    onRequest('UpdateItem');
    // Every `#name` the expressions use stands for the attribute of that name.
    const used = `${expression} ${condition ?? ''}`.matchAll(/#(\w+)/g);
    const names = Object.fromEntries([...used].map((match) => [match[0], match[1] ?? '']));
    const output = await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: processKey(processId),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
        ReturnValues: returnItem ? 'ALL_NEW' : 'NONE',
      }),
    );
    return output.Attributes;
  }

  async function claim(processId: string, owner: string, until: Date): Promise<ProcessClaim | undefined> {
    let item: Item | undefined;
    try {
      item = await update(
        processId,
        'SET #owner = :owner, #leaseUntil = :until',
        'attribute_not_exists(#owner) OR #leaseUntil < :now OR #owner = :owner',
        { ':owner': { S: owner }, ':until': { N: epochMs(until) }, ':now': { N: epochMs(clock.now()) } },
        true,
      );
    } catch (e: unknown) {
      if (isConditionalCheckFailure(e)) return undefined;
      throw e;
    }
    const current = readClaim(processId, item ?? {});
    if (item?.[A.layout] !== undefined) return current;
    const legacy = await readLegacy(processId);
    migrated.set(processId, legacy);
    return { ...legacy, ...current };
  }

  async function openOutbox(processId: string, owner: string, since: string): Promise<void> {
    await update(processId, 'SET #outboxSince = if_not_exists(#outboxSince, :since)', '#owner = :owner', {
      ':since': { S: since },
      ':owner': { S: owner },
    });
  }

  async function release(processId: string, owner: string, runEnd: RunEnd): Promise<void> {
    const legacy = migrated.get(processId);
    const watermark = laterOf(
      runEnd.watermark === undefined
        ? undefined
        : isoInstant(runEnd.watermark, `The watermark of process ${processId}`),
      legacy?.watermark,
    );
    // A checkpoint found in layout 1 moves into the process item unless this run replaced or cleared it.
    const end = runEnd.checkpoint === undefined ? { ...runEnd, checkpoint: legacy?.checkpoint } : runEnd;
    try {
      await giveBack(processId, owner, end, watermark);
    } catch (e: unknown) {
      if (!isConditionalCheckFailure(e)) throw e;
      // A later watermark is stored, or another run holds the process now (ours expired): give back
      // what is still ours, and never lose the progress this run made.
      await giveBack(processId, owner, end, undefined).catch((again: unknown) => {
        if (!isConditionalCheckFailure(again)) throw again;
      });
      if (watermark !== undefined) await advanceWatermark(processId, watermark);
    }
    migrated.delete(processId);
  }

  async function giveBack(
    processId: string,
    owner: string,
    end: RunEnd,
    watermark: string | undefined,
  ): Promise<void> {
    // Released by this code: layout-1 items, migrated by this release, are never read again.
    const set = ['#updatedAt = :now', '#layout = :layout'];
    const remove = ['#owner', '#leaseUntil'];
    const values: Item = {
      ':owner': { S: owner },
      ':now': { S: clock.now().toISOString() },
      ':layout': { N: String(STATE_LAYOUT) },
    };
    let condition = '#owner = :owner';
    if (watermark !== undefined) {
      set.push('#watermark = :watermark');
      values[':watermark'] = { S: watermark };
      condition += ' AND (attribute_not_exists(#watermark) OR #watermark < :watermark)';
    }
    if (end.checkpoint === null) remove.push('#checkpoint');
    else if (end.checkpoint !== undefined) {
      set.push('#checkpoint = :checkpoint');
      values[':checkpoint'] = { S: JSON.stringify(end.checkpoint) };
    }
    if (end.outboxDelivered) remove.push('#outboxSince');
    if (end.quarantined !== undefined) {
      set.push('#quarantined = :quarantined');
      values[':quarantined'] = { N: String(end.quarantined) };
    }
    await update(processId, `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`, condition, values);
  }

  async function advanceWatermark(processId: string, watermark: string): Promise<void> {
    try {
      await update(
        processId,
        'SET #watermark = :watermark, #layout = :layout',
        'attribute_not_exists(#watermark) OR #watermark < :watermark',
        { ':watermark': { S: watermark }, ':layout': { N: String(STATE_LAYOUT) } },
      );
    } catch (e: unknown) {
      if (!isConditionalCheckFailure(e)) throw e;
    }
  }

  async function readLegacy(processId: string): Promise<ProcessClaim> {
    onRequest('BatchGetItem');
    const output = await client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [tableName]: {
            Keys: [legacyKey(processId, 'watermark'), legacyKey(processId, 'checkpoint')],
            ConsistentRead: true,
          },
        },
      }),
    );
    const items = output.Responses?.[tableName] ?? [];
    const bySortKey = new Map(items.map((item) => [item[STATE_TABLE_KEYS.sortKey]?.S, item]));
    return readClaim(processId, {
      ...bySortKey.get('CHECKPOINT'),
      ...bySortKey.get('WATERMARK'),
    });
  }

  function readClaim(processId: string, item: Item): ProcessClaim {
    const watermark = item[A.watermark]?.S;
    if (watermark !== undefined && Number.isNaN(Date.parse(watermark))) {
      throw new CorruptStateError(
        `Stored watermark of process ${processId} (table ${tableName}) is not an instant. ` +
          `Remove its "${A.watermark}" attribute to start the process over with a baseline.`,
      );
    }
    return {
      ...(watermark === undefined ? {} : { watermark }),
      ...optional('checkpoint', readCheckpoint(processId, item[A.checkpoint]?.S)),
      ...optional('outboxSince', item[A.outboxSince]?.S),
      ...optional(
        'quarantined',
        item[A.quarantined]?.N === undefined ? undefined : Number(item[A.quarantined]?.N),
      ),
    };
  }

  function readCheckpoint(processId: string, text: string | undefined): Checkpoint | undefined {
    if (text === undefined) return undefined;
    const checkpoint = parseCheckpointJson(text);
    if (checkpoint === undefined) {
      throw new CorruptStateError(
        `Stored checkpoint of process ${processId} (table ${tableName}) is corrupt. Remove its ` +
          `"${A.checkpoint}" attribute: the next run then reads the window from the watermark again.`,
      );
    }
    return checkpoint;
  }

  return { claim, openOutbox, release };
}

function epochMs(date: Date): string {
  return String(date.getTime());
}

/** The later of two instants, written as the store compares them (`toISOString`). */
function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  const later = a === undefined || (b !== undefined && Date.parse(b) > Date.parse(a)) ? b : a;
  return later === undefined ? undefined : new Date(later).toISOString();
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
