/**
 * The poller under test: the Lambda's own handler from `createPollerHandler` (config, middy, adapters,
 * core), with the bench's AWS clients injected as the Lambda entry point injects the real ones.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createPollerHandler } from '../../lambdas/poller/create-poller-handler.js';
import type { RunSummary } from '../../shared/core/poll-run.js';
import type { ProcessSummary } from '../../shared/core/scan-listing.js';
import { lambdaContext } from '../../test/lambdas/poller/lambda-context.js';
import { type BenchPoller, type PollerTarget, pollerEnvironment } from './poller-target.js';

export class BenchRunError extends Error {
  override readonly name = 'BenchRunError';
}

export function createRealPoller(target: PollerTarget): BenchPoller {
  const handler = createPollerHandler({
    env: pollerEnvironment(target),
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
