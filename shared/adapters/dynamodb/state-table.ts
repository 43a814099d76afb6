/**
 * The state table's layout: one table, items grouped per Midaxo process so one partition holds
 * everything a run of that process reads and writes.
 * Layer: adapter. The CDK stack and the tests import these constants, so the table they build and the
 * one the store expects cannot drift apart.
 *
 * | pk                  | sk                                    | attributes                                  |
 * |---------------------|---------------------------------------|---------------------------------------------|
 * | PROCESS#<processId> | PROCESS                               | watermark, owner, leaseUntil, checkpoint,   |
 * |                     |                                       | outboxSince, quarantined, layout (2), ...   |
 * | PROCESS#<processId> | PROJECT#<project key>                 | projectId, hash, sequence, snapshot?,       |
 * |                     |                                       | snapshotOmitted?, deleted?, updatedAt       |
 * | PROCESS#<processId> | EVENT#<recordedAt>#<project key>#<seq>| event (JSON), hash, projectId, sequence,    |
 * |                     |                                       | recordedAt, expiresAt (TTL)                 |
 * | PROCESS#<processId> | QUARANTINE#<project key>              | projectId, reason, since, body? (JSON)      |
 * | CONFIG              | WORKSPACES#<version>                  | version, workspaces (JSON)                  |
 * | WEBHOOK#<name>      | ENDPOINT                              | since, reason (while the endpoint is        |
 * |                     |                                       | disabled; deleting the item re-enables it)  |
 * | TOKEN#<scope hash>  | TOKEN                                 | sealedToken, usableUntil, expiresAt (TTL)   |
 *
 * The project key is the project id itself when it is short enough for a DynamoDB key and does not
 * start with `#`, else `#` + the SHA-256 of the id; the id itself is always in `projectId`.
 * The snapshot is stored as a JSON string rather than a DynamoDB map, so numbers keep their precision
 * and empty strings, sets and nested arrays come back exactly as the API sent them.
 * The CONFIG partition holds what the stack writes at deploy (the workspace list, one item per version
 * of it); no process key can fall into it, as every one starts with `PROCESS#`.
 * A TOKEN item holds the Midaxo access token of one workspace's client (token-cache.ts), sealed with
 * its client secret, usable only until `usableUntil`; TTL removes it some time after it expired.
 * Layout 1 (before the process item) kept WATERMARK, LEASE and CHECKPOINT items; they are read once
 * to migrate a process and left in place.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const STATE_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLive: 'expiresAt',
} as const;

export const STATE_ATTRIBUTES = {
  watermark: 'watermark',
  owner: 'owner',
  leaseUntil: 'leaseUntil',
  checkpoint: 'checkpoint',
  outboxSince: 'outboxSince',
  layout: 'layout',
  projectId: 'projectId',
  hash: 'hash',
  sequence: 'sequence',
  snapshot: 'snapshot',
  snapshotOmitted: 'snapshotOmitted',
  deleted: 'deleted',
  event: 'event',
  recordedAt: 'recordedAt',
  reason: 'reason',
  since: 'since',
  body: 'body',
  kept: 'kept',
  quarantined: 'quarantined',
  numericId: 'numericId',
  updatedAt: 'updatedAt',
  version: 'version',
  workspaces: 'workspaces',
  sealedToken: 'sealedToken',
  usableUntil: 'usableUntil',
} as const;

/** The layout this code writes; a process item without it was never released by this code. */
export const STATE_LAYOUT = 2;

/** DynamoDB's item size limit: UTF-8 bytes of every attribute name and value. */
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

/** Largest project item that keeps its snapshot; the margin leaves room for attributes added later. */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 350_000;

/** Longest project id (UTF-8 bytes) used as a key as it is; longer ones are keyed by their hash. */
export const MAX_PLAIN_KEY_ID_BYTES = 512;

const PROCESS_PREFIX = 'PROCESS#';
const PROJECT_PREFIX = 'PROJECT#';
const EVENT_PREFIX = 'EVENT#';
const QUARANTINE_PREFIX = 'QUARANTINE#';
const PROCESS_SORT_KEY = 'PROCESS';
const HASHED_KEY_MARK = '#';
const WORKSPACES_PREFIX = 'WORKSPACES#';
const WEBHOOK_PREFIX = 'WEBHOOK#';
/** The partition key prefix of every token cache item. */
export const TOKEN_CACHE_PARTITION_PREFIX = 'TOKEN#';
const TOKEN_SORT_KEY = 'TOKEN';
export const WEBHOOK_ENDPOINT_SORT_KEY = 'ENDPOINT';

/** The partition of the items the stack writes at deploy; the only one its deploy-time writer may touch. */
export const CONFIG_PARTITION_KEY = 'CONFIG';

export const LEGACY_SORT_KEYS = { watermark: 'WATERMARK', checkpoint: 'CHECKPOINT' } as const;

export type StateKey = Record<string, AttributeValue>;

export function processPartitionKey(processId: string): string {
  return `${PROCESS_PREFIX}${processId}`;
}

/** A bounded, collision-free key part for any project id. */
export function projectKeyPart(projectId: string): string {
  const plain =
    !projectId.startsWith(HASHED_KEY_MARK) && Buffer.byteLength(projectId, 'utf8') <= MAX_PLAIN_KEY_ID_BYTES;
  return plain
    ? projectId
    : `${HASHED_KEY_MARK}${createHash('sha256').update(projectId, 'utf8').digest('hex')}`;
}

export function projectSortKey(projectId: string): string {
  return `${PROJECT_PREFIX}${projectKeyPart(projectId)}`;
}

/** The sort key prefix of every project item, for the deletion sweep's query. */
export const PROJECT_SORT_KEY_PREFIX = PROJECT_PREFIX;

/** The project id a layout-1 item's sort key names, or undefined when the key is not a project's. */
export function projectIdOfSortKey(sortKey: string): string | undefined {
  return sortKey.startsWith(PROJECT_PREFIX) ? sortKey.slice(PROJECT_PREFIX.length) : undefined;
}

/** The sort key prefix of every quarantine entry. */
export const QUARANTINE_SORT_KEY_PREFIX = QUARANTINE_PREFIX;

export function quarantineKey(processId: string, projectId: string): StateKey {
  return processItemKey(processId, `${QUARANTINE_PREFIX}${projectKeyPart(projectId)}`);
}

/** Event log items sort by when they were recorded, then project, then sequence. */
export function eventSortKey(recordedAt: string, projectId: string, sequence: string): string {
  return `${EVENT_PREFIX}${recordedAt}#${projectKeyPart(projectId)}#${sequence}`;
}

/** The first sort key of events recorded at or after `instant`. */
export function eventSortKeyFrom(instant: string): string {
  return `${EVENT_PREFIX}${instant}`;
}

function processItemKey(processId: string, sortKey: string): StateKey {
  return {
    [STATE_TABLE_KEYS.partitionKey]: { S: processPartitionKey(processId) },
    [STATE_TABLE_KEYS.sortKey]: { S: sortKey },
  };
}

export function processKey(processId: string): StateKey {
  return processItemKey(processId, PROCESS_SORT_KEY);
}

export function legacyKey(processId: string, kind: keyof typeof LEGACY_SORT_KEYS): StateKey {
  return processItemKey(processId, LEGACY_SORT_KEYS[kind]);
}

export function projectKey(processId: string, projectId: string): StateKey {
  return processItemKey(processId, projectSortKey(projectId));
}

export function eventKey(
  processId: string,
  recordedAt: string,
  projectId: string,
  sequence: string,
): StateKey {
  return processItemKey(processId, eventSortKey(recordedAt, projectId, sequence));
}

/** The item holding version `version` of the workspace list. */
export function workspacesConfigKey(version: string): StateKey {
  return {
    [STATE_TABLE_KEYS.partitionKey]: { S: CONFIG_PARTITION_KEY },
    [STATE_TABLE_KEYS.sortKey]: { S: `${WORKSPACES_PREFIX}${version}` },
  };
}

export function webhookPartitionKey(name: string): string {
  return `${WEBHOOK_PREFIX}${name}`;
}

/** The item that says a deployed webhook endpoint is disabled (it answered 410 Gone). */
export function webhookEndpointKey(name: string): StateKey {
  return {
    [STATE_TABLE_KEYS.partitionKey]: { S: webhookPartitionKey(name) },
    [STATE_TABLE_KEYS.sortKey]: { S: WEBHOOK_ENDPOINT_SORT_KEY },
  };
}

/** The item caching the Midaxo token of the scope whose `tokenCacheKey` is `scopeKey`. */
export function tokenCacheItemKey(scopeKey: string): StateKey {
  return {
    [STATE_TABLE_KEYS.partitionKey]: { S: `${TOKEN_CACHE_PARTITION_PREFIX}${scopeKey}` },
    [STATE_TABLE_KEYS.sortKey]: { S: TOKEN_SORT_KEY },
  };
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
