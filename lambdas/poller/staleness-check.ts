/**
 * Whether any configured workspace has stopped moving, seen from whichever run executes: a workspace
 * whose invocations are throttled past Lambda's event age, or dropped, emits nothing itself, so each
 * run reads the watermark of every configured process and reports the oldest. The stack alarms when it
 * is older than the configured lag, and when no run reports at all.
 *
 * One check per container every `everyMs` at most (one BatchGetItem per 100 processes): a warm poll
 * every minute does not pay for it each time.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readProcessWatermarks } from '../../shared/adapters/dynamodb/process-watermarks.js';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import type { Clock } from '../../shared/core/ports.js';
import { STALENESS_CHECK_EVERY_MINUTES } from '../../shared/observability/metric-names.js';

/** At most one check per container this often; the alarm's period is at least twice as long. */
export const STALENESS_CHECK_EVERY_MS = STALENESS_CHECK_EVERY_MINUTES * 60_000;

export interface StalenessCheckOptions {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  readonly clock: Clock;
  /** @default STALENESS_CHECK_EVERY_MS */
  readonly everyMs?: number;
}

export interface WorkspaceAge {
  readonly workspace: string;
  /** How far behind now its oldest watermark is. */
  readonly seconds: number;
}

/** The stalest workspace; undefined when no check was due or no process has completed a run yet. */
export type StalenessCheck = (workspaces: readonly WorkspaceConfig[]) => Promise<WorkspaceAge | undefined>;

export function createStalenessCheck(options: StalenessCheckOptions): StalenessCheck {
  const everyMs = options.everyMs ?? STALENESS_CHECK_EVERY_MS;
  let lastCheckMs: number | undefined;
  return async (workspaces) => {
    const nowMs = options.clock.now().getTime();
    if (lastCheckMs !== undefined && nowMs - lastCheckMs < everyMs) return undefined;
    const watermarks = await readProcessWatermarks(
      { client: options.dynamodb, tableName: options.tableName },
      workspaces.flatMap((workspace) => workspace.processIds),
    );
    lastCheckMs = nowMs;
    let stalest: WorkspaceAge | undefined;
    for (const workspace of workspaces) {
      for (const processId of workspace.processIds) {
        const watermark = watermarks.get(processId);
        if (watermark === undefined) continue;
        const seconds = Math.round((nowMs - Date.parse(watermark)) / 1000);
        if (stalest === undefined || seconds > stalest.seconds)
          stalest = { workspace: workspace.name, seconds };
      }
    }
    return stalest;
  };
}
