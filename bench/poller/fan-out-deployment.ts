/**
 * The deployment the fan-out scenario polls: `workspaces` workspaces of `processesPerWorkspace`
 * processes each, stored in the state table as the stack stores them. Every workspace uses the bench's one
 * secret (the sandbox knows one client); each still gets its own Midaxo token, as with its own secret.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import { storeWorkspaces } from '../../test/support/dynamodb-test-table.js';
import { BENCH_SECRET_ID } from '../bench-model.js';
import { type MidaxoAccess, pollerSettings } from './poller-target.js';

export interface FanOutShape {
  readonly workspaces: number;
  readonly processesPerWorkspace: number;
}

export function fanOutWorkspaces(shape: FanOutShape): WorkspaceConfig[] {
  const width = String(shape.workspaces).length;
  return Array.from({ length: shape.workspaces }, (_, w) => {
    const name = `ws-${String(w + 1).padStart(width, '0')}`;
    const processIds = Array.from({ length: shape.processesPerWorkspace }, (_, p) => `${name}-p${p + 1}`);
    return { name, secretId: BENCH_SECRET_ID, processIds };
  });
}

/**
 * Deploys the fan-out's workspace list as the stack does, into the state table, and returns the Lambda
 * environment that names it: each container reads the list once, at its first invocation.
 */
export async function deployFanOut(
  client: DynamoDBClient,
  midaxo: MidaxoAccess,
  workspaces: readonly WorkspaceConfig[],
  tableName: string,
): Promise<Record<string, string>> {
  const version = await storeWorkspaces(client, tableName, workspaces);
  return { ...pollerSettings({ midaxo, tableName }), MIDAXO_WORKSPACES_VERSION: version };
}
