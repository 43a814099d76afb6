/**
 * The workspaces this container polls. Listed in the environment, they are at hand; stored in the state
 * table, they are read once, at the container's first invocation, and kept: a warm run sends no request
 * for them. A read that fails is not kept, so the next invocation tries again.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readStoredWorkspaces } from '../../shared/adapters/dynamodb/dynamodb-workspaces-config.js';
import type { WorkspacesSource } from '../../shared/config/poller-config.js';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';

export interface ConfiguredWorkspacesOptions {
  readonly source: WorkspacesSource;
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
}

export function createConfiguredWorkspaces(
  options: ConfiguredWorkspacesOptions,
): () => Promise<readonly WorkspaceConfig[]> {
  const { source } = options;
  if (source.kind === 'listed') return async () => source.workspaces;
  let loaded: Promise<readonly WorkspaceConfig[]> | undefined;
  return () => {
    loaded ??= readStoredWorkspaces({
      client: options.dynamodb,
      tableName: options.tableName,
      version: source.version,
    }).catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}
