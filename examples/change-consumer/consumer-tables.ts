/**
 * The consumer's two tables, described once: the CDK construct builds them from these names and the
 * tests create them from these definitions, so neither can drift from what the code expects.
 *
 * Idempotency table (Powertools' default layout): partition key `id` (the hashed event id), TTL
 * attribute `expiration`.
 *
 * Projects table, one item per project:
 *
 * | projectKey                    | claimedSequence, claimedEventId | appliedSequence, appliedEventId | view (M)        |
 * |-------------------------------|---------------------------------|---------------------------------|-----------------|
 * | <processId>/<projectId>, each | the newest event whose business | the newest event whose view is  | what            |
 * | URL-encoded                   | logic was allowed to run        | stored                          | `applyChange` made |
 */
import { createHash } from 'node:crypto';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const IDEMPOTENCY_TABLE = { partitionKey: 'id', timeToLive: 'expiration' } as const;

export const PROJECTS_TABLE = {
  partitionKey: 'projectKey',
  claimedSequence: 'claimedSequence',
  claimedEventId: 'claimedEventId',
  appliedSequence: 'appliedSequence',
  appliedEventId: 'appliedEventId',
  view: 'view',
} as const;

/** The key of a project's item: the process names the project, as ids are only unique within one. */
export function projectKeyOf(processId: string, projectId: string): string {
  const key = `${encodeURIComponent(processId)}/${encodeURIComponent(projectId)}`;
  // Long ids (the notifier sends up to 8,192 characters) are keyed by their hash: DynamoDB takes
  // 2,048 bytes. `:` is always encoded in a plain key, so a hashed one can never look like one.
  return Buffer.byteLength(key) <= MAX_PLAIN_KEY_BYTES
    ? key
    : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

const MAX_PLAIN_KEY_BYTES = 1_024;

export type TableDefinition = Required<
  Pick<CreateTableCommandInput, 'KeySchema' | 'AttributeDefinitions' | 'BillingMode'>
>;

function singleKeyTable(partitionKey: string): TableDefinition {
  return {
    KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

export const idempotencyTableDefinition = singleKeyTable(IDEMPOTENCY_TABLE.partitionKey);
export const projectsTableDefinition = singleKeyTable(PROJECTS_TABLE.partitionKey);
