/**
 * The deployment the fan-out scenario polls: `workspaces` workspaces of `processesPerWorkspace`
 * processes each, as the poller's `MIDAXO_WORKSPACES` lists them. Every workspace uses the bench's one
 * secret (the sandbox knows one client); each still gets its own Midaxo token, as with its own secret.
 */
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import { BENCH_SECRET_ID, BENCH_TOPIC_ARN } from '../bench-model.js';
import type { MidaxoAccess } from './poller-target.js';

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

/** The Lambda environment of the fan-out deployment, as the stack would set it. */
export function fanOutEnvironment(
  midaxo: MidaxoAccess,
  workspaces: readonly WorkspaceConfig[],
  tableName: string,
): Record<string, string> {
  return {
    MIDAXO_INSTANCE: 'eu',
    MIDAXO_API_URL: midaxo.apiUrl,
    MIDAXO_AUTH_URL: midaxo.authUrl,
    MIDAXO_WORKSPACES: JSON.stringify(workspaces),
    STATE_TABLE_NAME: tableName,
    TOPIC_ARN: BENCH_TOPIC_ARN,
  };
}
