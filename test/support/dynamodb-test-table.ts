/**
 * Helpers for tests that talk to the DynamoDB Local of the run: a client for it, and fresh tables (the
 * state table, or any other layout) per test file or test, so files running in parallel never share data.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';
import {
  processKey,
  STATE_ATTRIBUTES,
  STATE_TABLE_KEYS,
  stateTableDefinition,
  TOKEN_CACHE_PARTITION_PREFIX,
} from '../../shared/adapters/dynamodb/state-table.js';
import { toWorkspacesConfigItem } from '../../shared/adapters/dynamodb/workspaces-config-item.js';
import {
  type WorkspaceReference,
  workspaceListEntries,
  workspaceListVersion,
} from '../../shared/config/workspace-list.js';

/** DynamoDB Local accepts any region and credentials; these only make it obvious no real AWS is involved. */
const LOCAL_REGION = 'local';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export function createLocalDynamoDbClient(endpoint: string, maxAttempts?: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
}

/**
 * A client for DynamoDB Local created as the Lambdas create theirs (`SDK_CLIENT_OPTIONS`), for a poller
 * under test. Not for a DynamoDBDocumentClient: it refuses a client that caches its middleware.
 */
export function createLocalLambdaDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    ...SDK_CLIENT_OPTIONS,
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
}

/** Creates a state table with the production layout (TTL included) and returns its name once it is active. */
export async function createStateTable(client: DynamoDBClient, name = uniqueTableName()): Promise<string> {
  return createTable(client, stateTableDefinition, { name, timeToLive: STATE_TABLE_KEYS.timeToLive });
}

export interface CreateTableOptions {
  /** @default a unique name */
  readonly name?: string;
  /** The TTL attribute to enable, if any. */
  readonly timeToLive?: string;
}

/** Creates a table from a layout (keys and billing mode) and returns its name once it is active. */
export async function createTable(
  client: DynamoDBClient,
  definition: Pick<CreateTableCommandInput, 'KeySchema' | 'AttributeDefinitions' | 'BillingMode'>,
  options: CreateTableOptions = {},
): Promise<string> {
  const name = options.name ?? uniqueTableName('table');
  await client.send(new CreateTableCommand({ TableName: name, ...definition }));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: name });
  if (options.timeToLive !== undefined) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: options.timeToLive, Enabled: true },
      }),
    );
  }
  return name;
}

export function uniqueTableName(prefix = 'state'): string {
  return `${prefix}-${randomUUID()}`;
}

/** The watermark stored for a process, read straight from its item (no claim taken), as an operator would. */
export async function storedWatermark(
  client: DynamoDBClient,
  tableName: string,
  processId: string,
): Promise<string | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: processKey(processId), ConsistentRead: true }),
  );
  return Item?.[STATE_ATTRIBUTES.watermark]?.S;
}

/** The version a workspace list is stored under by `storeWorkspaces`. */
export function storedWorkspacesVersion(workspaces: readonly WorkspaceReference[]): string {
  return workspaceListVersion(workspaceListEntries(workspaces));
}

/**
 * Stores a workspace list in the state table as the stack's deploy does (the same item), and returns its
 * version: the poller's `MIDAXO_WORKSPACES_VERSION`.
 */
export async function storeWorkspaces(
  client: DynamoDBClient,
  tableName: string,
  workspaces: readonly WorkspaceReference[],
): Promise<string> {
  const version = storedWorkspacesVersion(workspaces);
  await client.send(
    new PutItemCommand({ TableName: tableName, Item: toWorkspacesConfigItem(workspaces, version) }),
  );
  return version;
}

/** The Midaxo token cache items of the table (a test's table is small enough to scan). */
export async function cachedTokenItems(client: DynamoDBClient, tableName: string) {
  // Every page: a table holding a few MB of events has its token item past the first 1 MB a Scan reads.
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(#pk, :prefix)',
        ExpressionAttributeNames: { '#pk': STATE_TABLE_KEYS.partitionKey },
        ExpressionAttributeValues: { ':prefix': { S: TOKEN_CACHE_PARTITION_PREFIX } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Deletes every cached Midaxo token, as if none had been cached: the next cold start asks the auth server. */
export async function forgetCachedTokens(client: DynamoDBClient, tableName: string): Promise<void> {
  for (const item of await cachedTokenItems(client, tableName)) {
    const { [STATE_TABLE_KEYS.partitionKey]: pk, [STATE_TABLE_KEYS.sortKey]: sk } = item;
    if (pk === undefined || sk === undefined) continue;
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk, sk } }));
  }
}
