/**
 * A Lambda handler with Powertools' logger and metrics around each invocation, as their middy
 * middlewares put them (`injectLambdaContext` with `resetKeys`, `logMetrics` with the cold-start
 * metric), through the calls Powertools documents for use without middy. middy's import loads node's
 * web streams (for response streaming, which neither Lambda uses) on every cold start.
 *
 * Before: the invocation's context in every log line, the event logged if `POWERTOOLS_LOGGER_LOG_EVENT`
 * asks for it, the `ColdStart` metric on the container's first invocation. After, whether the handler
 * returned or threw: the invocation's metrics published, the log buffer and appended keys dropped.
 * Like middy, an invocation still running 5 ms before Lambda's deadline fails with a `TimeoutError`,
 * so that its metrics and logs are out before Lambda ends it.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

/** middy's `timeoutEarlyInMillis` default. */
const TIMEOUT_EARLY_MS = 5;

export interface Instrumentation {
  readonly logger: Logger;
  /** Metrics published after each invocation, with the cold-start metric. */
  readonly metrics?: Metrics;
}

class InvocationTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export function instrumentedHandler<Result>(
  handler: (event: unknown, context: Context) => Promise<Result>,
  { logger, metrics }: Instrumentation,
): (event: unknown, context: Context) => Promise<Result> {
  return async (event, context) => {
    logger.refreshSampleRateCalculation();
    logger.addContext(context);
    logger.logEventIfEnabled(event);
    metrics?.captureColdStartMetric(context.functionName);
    try {
      return await beforeDeadline(handler(event, context), context);
    } finally {
      metrics?.publishStoredMetrics();
      logger.clearBuffer();
      logger.resetKeys();
    }
  };
}

async function beforeDeadline<Result>(work: Promise<Result>, context: Context): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InvocationTimeoutError('The invocation was about to time out; it was ended early')),
      context.getRemainingTimeInMillis() - TIMEOUT_EARLY_MS,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
