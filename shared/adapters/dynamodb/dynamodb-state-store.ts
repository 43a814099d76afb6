/**
 * StateStore on DynamoDB: hash, sequence and snapshot per project, and the outbox / event log, in the
 * layout of `state-table.ts`.
 * Layer: adapter. Reads use BatchGetItem (100 keys a call), writes and deletes BatchWriteItem (25 items a call),
 * several calls in flight; what DynamoDB leaves unprocessed is resent with backoff, and what is still
 * left after the policy's attempts fails the call. Whole-call errors (throttling, network) are retried
 * by the injected client's own retry strategy.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_EVENT_RETENTION_DAYS } from '../../config/poll-defaults.js';
import type {
  AbortOptions,
  Clock,
  PendingChange,
  QuarantinedProject,
  QuarantineEntry,
  RecordedChange,
  RecordedRange,
  StateStore,
  StoredProject,
} from '../../core/ports.js';
import { type BackoffPolicy, retryPacingOf, type Sleep } from '../../support/backoff.js';
import { chunksOf } from '../../support/chunks-of.js';
import { forEachBounded } from '../../support/for-each-bounded.js';
import { isoInstant } from '../../support/iso-instant.js';
import { fromEventItem, toEventItem } from './event-item.js';
import { fromProjectItem, projectIdOfItem, toProjectItem } from './project-item.js';
import { fromListedQuarantineItem, fromQuarantineItem, toQuarantineItem } from './quarantine-item.js';
import { sendUntilProcessed } from './send-until-processed.js';
import { UnprocessedBatchError } from './state-store-errors.js';
import {
  STATE_ATTRIBUTES as A,
  DEFAULT_MAX_SNAPSHOT_BYTES,
  DYNAMODB_MAX_ITEM_BYTES,
  eventSortKeyFrom,
  PROJECT_SORT_KEY_PREFIX,
  processPartitionKey,
  projectKey,
  QUARANTINE_SORT_KEY_PREFIX,
  quarantineKey,
  STATE_TABLE_KEYS,
  type StateKey,
} from './state-table.js';

export const BATCH_GET_MAX_KEYS = 100;
export const BATCH_WRITE_MAX_ITEMS = 25;

export interface DynamoDbStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /**
   * Largest project item, in DynamoDB's measure (UTF-8 bytes of names and values), that keeps its
   * snapshot; a larger one keeps only its hash. At most 400 KB, DynamoDB's item limit.
   * @default DEFAULT_MAX_SNAPSHOT_BYTES (350 000)
   */
  readonly maxSnapshotBytes?: number;
  /** Pacing of retries of unprocessed keys and items. @default DEFAULT_BACKOFF */
  readonly backoff?: BackoffPolicy;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Source of `updatedAt`. @default the system clock */
  readonly clock?: Clock;
  /** Batch calls in flight at once per operation. @default 4 */
  readonly concurrency?: number;
  /** Called before every request to DynamoDB with its operation name, e.g. to count requests. */
  readonly onRequest?: (operation: string) => void;
  /** How long recorded events are kept for replay (the items' TTL). @default DEFAULT_EVENT_RETENTION_DAYS */
  readonly eventRetentionDays?: number;
}

const systemClock: Clock = { now: () => new Date() };

interface QueryOptions {
  readonly signal?: AbortSignal;
  /** Read only these attributes of each item. */
  readonly attributes?: readonly string[];
  /** Return only the items that have all these attributes. */
  readonly present?: readonly string[];
}

export function createDynamoDbStateStore(options: DynamoDbStateStoreOptions): StateStore {
  const { client, tableName } = options;
  const maxItemBytes = options.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
  const concurrency = options.concurrency ?? 4;
  validateOptions(tableName, maxItemBytes, concurrency);
  const clock = options.clock ?? systemClock;
  const onRequest = options.onRequest ?? (() => {});
  const pacing = retryPacingOf(options);
  const retentionSeconds = (options.eventRetentionDays ?? DEFAULT_EVENT_RETENTION_DAYS) * 86_400;

  async function getProjects(
    processId: string,
    projectIds: readonly string[],
  ): Promise<Map<string, StoredProject>> {
    const found = new Map<string, StoredProject>();
    const chunks = chunksOf([...new Set(projectIds)], BATCH_GET_MAX_KEYS);
    await forEachBounded(chunks, concurrency, async (ids) => {
      const keys = ids.map((id) => projectKey(processId, id));
      const { remaining, fruitlessAttempts } = await sendUntilProcessed<StateKey>(
        keys,
        async (requestKeys) => {
          onRequest('BatchGetItem');
          const output = await client.send(
            new BatchGetItemCommand({
              RequestItems: { [tableName]: { Keys: [...requestKeys], ConsistentRead: true } },
            }),
          );
          for (const item of output.Responses?.[tableName] ?? []) {
            const stored = fromProjectItem(processId, tableName, item);
            found.set(stored.projectId, stored);
          }
          return output.UnprocessedKeys?.[tableName]?.Keys ?? [];
        },
        pacing,
      );
      if (remaining.length > 0) {
        throw new UnprocessedBatchError('BatchGetItem', processId, remaining.map(idOf), fruitlessAttempts);
      }
    });
    return found;
  }

  async function putProjects(processId: string, projects: readonly StoredProject[]): Promise<void> {
    const updatedAt = clock.now().toISOString();
    // One request may not name a key twice; the last state given for a project is the one to keep.
    const latest = new Map(projects.map((project) => [project.projectId, project]));
    const writes: WriteRequest[] = [...latest.values()].map((project) => ({
      PutRequest: { Item: toProjectItem(processId, project, updatedAt, maxItemBytes) },
    }));
    await writeInBatches(processId, writes);
  }

  async function recordChanges(
    processId: string,
    changes: readonly PendingChange[],
    recordedAt: Date,
  ): Promise<void> {
    const at = recordedAt.toISOString();
    const expiresAt = Math.floor(recordedAt.getTime() / 1000) + retentionSeconds;
    const writes: WriteRequest[] = changes.map((change) => ({
      PutRequest: { Item: toEventItem(processId, change, at, expiresAt) },
    }));
    await writeInBatches(processId, writes);
  }

  async function* recordedChanges(
    processId: string,
    range: RecordedRange,
    options?: AbortOptions,
  ): AsyncIterable<readonly RecordedChange[]> {
    // Sort keys hold `toISOString` instants: a bound written otherwise (offset, no milliseconds) would
    // compare wrong as text.
    const since = isoInstant(range.since, 'The start of a range of recorded events');
    const until = isoInstant(
      range.until ?? clock.now().toISOString(),
      'The end of a range of recorded events',
    );
    const pages = queryPages(
      processId,
      '#sk BETWEEN :from AND :to',
      { ':from': { S: eventSortKeyFrom(since) }, ':to': { S: eventSortKeyFrom(until) } },
      { signal: options?.signal },
    );
    for await (const items of pages) {
      const recorded = items
        .map((item) => fromEventItem(processId, tableName, item))
        .filter((change) => change.recordedAt >= since && change.recordedAt < until);
      if (recorded.length > 0) yield recorded;
    }
  }

  async function* queryPages(
    processId: string,
    sortKeyCondition: string,
    values: Record<string, AttributeValue>,
    options: QueryOptions = {},
  ): AsyncIterable<Record<string, AttributeValue>[]> {
    const names: Record<string, string> = {
      '#pk': STATE_TABLE_KEYS.partitionKey,
      '#sk': STATE_TABLE_KEYS.sortKey,
    };
    for (const attribute of [...(options.attributes ?? []), ...(options.present ?? [])]) {
      names[`#${attribute}`] = attribute;
    }
    const projection = options.attributes?.map((attribute) => `#${attribute}`).join(', ');
    const filter = options.present?.map((attribute) => `attribute_exists(#${attribute})`).join(' AND ');
    let startKey: StateKey | undefined;
    do {
      onRequest('Query');
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: `#pk = :pk AND ${sortKeyCondition}`,
          ...(projection === undefined ? {} : { ProjectionExpression: projection }),
          ...(filter === undefined ? {} : { FilterExpression: filter }),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':pk': { S: processPartitionKey(processId) }, ...values },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
        { abortSignal: options.signal },
      );
      startKey = output.LastEvaluatedKey;
      const items = output.Items ?? [];
      if (items.length > 0) yield items;
    } while (startKey !== undefined);
  }

  async function writeInBatches(processId: string, writes: readonly WriteRequest[]): Promise<void> {
    await forEachBounded(chunksOf(writes, BATCH_WRITE_MAX_ITEMS), concurrency, async (batch) => {
      const { remaining, fruitlessAttempts } = await sendUntilProcessed<WriteRequest>(
        batch,
        async (requests) => {
          onRequest('BatchWriteItem');
          const output = await client.send(
            new BatchWriteItemCommand({ RequestItems: { [tableName]: [...requests] } }),
          );
          return output.UnprocessedItems?.[tableName] ?? [];
        },
        pacing,
      );
      if (remaining.length > 0) {
        const ids = remaining.map((request) =>
          idOf(request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {}),
        );
        throw new UnprocessedBatchError('BatchWriteItem', processId, ids, fruitlessAttempts);
      }
    });
  }

  async function quarantine(processId: string, projects: readonly QuarantinedProject[]): Promise<void> {
    const writes: WriteRequest[] = projects.map((project) => ({
      PutRequest: { Item: toQuarantineItem(processId, project, maxItemBytes) },
    }));
    await writeInBatches(processId, writes);
  }

  async function releaseFromQuarantine(processId: string, projectIds: readonly string[]): Promise<void> {
    const writes: WriteRequest[] = [...new Set(projectIds)].map((id) => ({
      DeleteRequest: { Key: quarantineKey(processId, id) },
    }));
    await writeInBatches(processId, writes);
  }

  function quarantinePages(processId: string, options: QueryOptions) {
    const prefix = { ':prefix': { S: QUARANTINE_SORT_KEY_PREFIX } };
    return queryPages(processId, 'begins_with(#sk, :prefix)', prefix, options);
  }

  // The projection leaves the kept projects in the table, so the run holds a few KB a page; DynamoDB still
  // counts each whole item against read capacity and its 1 MB page (a body kept apart would avoid that).
  async function* listQuarantine(processId: string): AsyncIterable<readonly QuarantineEntry[]> {
    const attributes = [A.projectId, A.reason, A.since, A.kept];
    for await (const items of quarantinePages(processId, { attributes })) {
      yield items.map((item) => fromListedQuarantineItem(processId, tableName, item));
    }
  }

  // A Query page is at most 1 MB: a page of kept projects is too.
  async function* keptInQuarantine(processId: string): AsyncIterable<readonly QuarantinedProject[]> {
    for await (const items of quarantinePages(processId, { present: [A.body] })) {
      yield items.map((item) => fromQuarantineItem(processId, tableName, item));
    }
  }

  async function* listProjects(processId: string): AsyncIterable<readonly StoredProject[]> {
    const pages = queryPages(processId, 'begins_with(#sk, :projects)', {
      ':projects': { S: PROJECT_SORT_KEY_PREFIX },
    });
    for await (const items of pages) yield items.map((item) => fromProjectItem(processId, tableName, item));
  }

  return {
    getProjects,
    putProjects,
    listProjects,
    recordChanges,
    recordedChanges,
    quarantine,
    releaseFromQuarantine,
    listQuarantine,
    keptInQuarantine,
  };
}

function validateOptions(tableName: string, maxItemBytes: number, concurrency: number): void {
  if (tableName.trim() === '') throw new TypeError('DynamoDB state store: tableName must not be empty');
  if (!Number.isInteger(maxItemBytes) || maxItemBytes <= 0 || maxItemBytes > DYNAMODB_MAX_ITEM_BYTES) {
    throw new RangeError(
      `DynamoDB state store: maxSnapshotBytes must be a whole number from 1 to ${DYNAMODB_MAX_ITEM_BYTES}, got ${maxItemBytes}`,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `DynamoDB state store: concurrency must be a whole number of at least 1, got ${concurrency}`,
    );
  }
}

function idOf(keyOrItem: StateKey): string {
  return projectIdOfItem(keyOrItem) ?? '(unknown)';
}
