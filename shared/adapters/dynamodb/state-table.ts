/**
 * The state table's layout: one table, items grouped per Midaxo process so one partition holds
 * everything a run of that process reads and writes.
 * Layer: adapter. The CDK stack and the tests import these constants, so the table they build and the
 * one the store expects cannot drift apart.
 *
 * | pk                    | sk                     | attributes                                              |
 * |-----------------------|------------------------|---------------------------------------------------------|
 * | PROCESS#<processId>   | WATERMARK              | watermark (S, ISO-8601), updatedAt                      |
 * | PROCESS#<processId>   | PROJECT#<projectId>    | hash (S), snapshot? (S, JSON), snapshotOmitted? (BOOL), |
 * |                       |                        | updatedAt                                               |
 * | PROCESS#<processId>   | LEASE                  | owner (S), expiresAt (N, epoch seconds; also the TTL)   |
 * | PROCESS#<processId>   | CHECKPOINT             | checkpoint (S, JSON: window, after, baseline), updatedAt|
 *
 * The snapshot is stored as a JSON string rather than a DynamoDB map, so numbers keep their precision
 * and empty strings, sets and nested arrays come back exactly as the API sent them.
 * `expiresAt` (epoch seconds) is the table's TTL attribute, for the lease and other expiring items.
 */
import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const STATE_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLive: 'expiresAt',
} as const;

export const STATE_ATTRIBUTES = {
  watermark: 'watermark',
  hash: 'hash',
  snapshot: 'snapshot',
  snapshotOmitted: 'snapshotOmitted',
  updatedAt: 'updatedAt',
} as const;

/** DynamoDB's item size limit: UTF-8 bytes of every attribute name and value. */
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

/** Largest project item that keeps its snapshot; the margin leaves room for attributes added later. */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 350_000;

const PROCESS_PREFIX = 'PROCESS#';
const PROJECT_PREFIX = 'PROJECT#';
const WATERMARK_SORT_KEY = 'WATERMARK';
const LEASE_SORT_KEY = 'LEASE';
const CHECKPOINT_SORT_KEY = 'CHECKPOINT';

export type StateKey = Record<string, AttributeValue>;

export function processPartitionKey(processId: string): string {
  return `${PROCESS_PREFIX}${processId}`;
}

export function projectSortKey(projectId: string): string {
  return `${PROJECT_PREFIX}${projectId}`;
}

/** The project id of a project item's sort key, or undefined when the key is not a project's. */
export function projectIdOfSortKey(sortKey: string): string | undefined {
  return sortKey.startsWith(PROJECT_PREFIX) ? sortKey.slice(PROJECT_PREFIX.length) : undefined;
}

function processItemKey(processId: string, sortKey: string): StateKey {
  return {
    [STATE_TABLE_KEYS.partitionKey]: { S: processPartitionKey(processId) },
    [STATE_TABLE_KEYS.sortKey]: { S: sortKey },
  };
}

export function watermarkKey(processId: string): StateKey {
  return processItemKey(processId, WATERMARK_SORT_KEY);
}

export function leaseKey(processId: string): StateKey {
  return processItemKey(processId, LEASE_SORT_KEY);
}

export function checkpointKey(processId: string): StateKey {
  return processItemKey(processId, CHECKPOINT_SORT_KEY);
}

export function projectKey(processId: string, projectId: string): StateKey {
  return processItemKey(processId, projectSortKey(projectId));
}

/**
 * Everything CreateTable needs but the name. The TTL attribute is not part of CreateTable: enable it
 * with UpdateTimeToLive (the CDK construct sets `timeToLiveAttribute`).
 */
export type StateTableDefinition = Required<
  Pick<CreateTableCommandInput, 'KeySchema' | 'AttributeDefinitions' | 'BillingMode'>
>;

export const stateTableDefinition: StateTableDefinition = {
  KeySchema: [
    { AttributeName: STATE_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
    { AttributeName: STATE_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: STATE_TABLE_KEYS.partitionKey, AttributeType: 'S' },
    { AttributeName: STATE_TABLE_KEYS.sortKey, AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
};
