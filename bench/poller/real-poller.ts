/**
 * The poller under test: the Lambda's own handler from `createPollerHandler` (config, middy, adapters,
 * core), with the bench's AWS clients injected as the Lambda entry point injects the real ones.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { createPollerHandler } from '../../lambdas/poller/create-poller-handler.js';
import type { RunSummary } from '../../shared/core/poll-run.js';
import type { ProcessSummary } from '../../shared/core/scan-listing.js';
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
      const summary = (await handler({ mode: 'poll' }, benchContext())) as RunSummary;
      const outcome = summary.processes[0];
      if (outcome === undefined || outcome.error !== undefined) {
        throw new BenchRunError(`The poll of ${target.processId} failed: ${outcome?.error ?? 'no outcome'}`);
      }
      return outcome satisfies ProcessSummary;
    },
  };
}

function benchContext(): Context {
  const deadline = Date.now() + 900_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'bench-poller',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench-poller',
    memoryLimitInMB: '512',
    awsRequestId: `bench-${Math.random().toString(16).slice(2)}`,
    logGroupName: '/aws/lambda/bench-poller',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
