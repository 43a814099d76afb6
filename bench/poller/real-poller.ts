/**
 * The poller under test: the Lambda's own handler from `createPollerHandler` (config, middy, adapters,
 * core), with the bench's AWS clients injected as the Lambda entry point injects the real ones.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createPollerHandler } from '../../lambdas/poller/create-poller-handler.js';
import type { RunSummary } from '../../shared/core/poll-run.js';
import type { ProcessSummary } from '../../shared/core/scan-listing.js';
import { lambdaContext } from '../../test/lambdas/poller/lambda-context.js';
import { storeWorkspaces } from '../../test/support/dynamodb-test-table.js';
import { type BenchPoller, benchWorkspaces, type PollerTarget, pollerSettings } from './poller-target.js';

export class BenchRunError extends Error {
  override readonly name = 'BenchRunError';
}

/**
 * Stores the target's workspace in its state table, as the stack's deploy does, before the poller exists:
 * that write is setup, not a run's request. Each poller's first run reads it (one GetItem), as a Lambda
 * container's first invocation does; later runs do not.
 */
export async function createRealPoller(target: PollerTarget): Promise<BenchPoller> {
  const version = await storeWorkspaces(target.aws.dynamodb, target.tableName, benchWorkspaces(target));
  return realPollerOf(target, version);
}

/** The real poller of a target whose workspace list is already stored under `workspacesVersion`. */
export function realPollerOf(target: PollerTarget, workspacesVersion: string): BenchPoller {
  const handler = createPollerHandler({
    env: { ...pollerSettings(target), MIDAXO_WORKSPACES_VERSION: workspacesVersion },
    dynamodb: target.aws.dynamodb,
    sns: target.aws.sns,
    secretsManager: target.aws.secretsManager,
    clock: target.clock,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  return {
    async run() {
      const summary = (await handler({ mode: 'poll' }, lambdaContext(900_000))) as RunSummary;
      const outcome = summary.processes[0];
      if (outcome === undefined || outcome.error !== undefined) {
        throw new BenchRunError(`The poll of ${target.processId} failed: ${outcome?.error ?? 'no outcome'}`);
      }
      return outcome satisfies ProcessSummary;
    },
  };
}
