/**
 * Reads the workspace list the stack stored in the state table at deploy: one consistent GetItem of the
 * item of the version the poller's environment names. Layer: adapter.
 *
 * Each deploy that changes the list writes it under a new version before the function's configuration
 * (which names that version) changes, and removes the superseded item only once the deploy is done, so
 * every container finds the list of its own configuration. A missing item means the deploy that should
 * have written it has not (yet), and the message says so.
 */
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ConfigError } from '../../config/config-error.js';
import type { WorkspaceConfig } from '../../config/workspace-list.js';
import { workspacesConfigKey } from './state-table.js';
import { describeWorkspacesConfigItem, fromWorkspacesConfigItem } from './workspaces-config-item.js';

export interface StoredWorkspacesLocation {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly version: string;
}

export async function readStoredWorkspaces(location: StoredWorkspacesLocation): Promise<WorkspaceConfig[]> {
  const { client, tableName, version } = location;
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: workspacesConfigKey(version), ConsistentRead: true }),
  );
  if (Item === undefined) {
    throw new ConfigError(
      `The workspace list of version ${version} (MIDAXO_WORKSPACES_VERSION) is not in the state table ` +
        `(${describeWorkspacesConfigItem(tableName, version)}). The stack writes it when it deploys, ` +
        'before the poller starts using it: a deploy that failed or was rolled back can leave a poller ' +
        'without it. Deploy the stack again; the next run reads the list.',
    );
  }
  return fromWorkspacesConfigItem(Item, tableName, version);
}
