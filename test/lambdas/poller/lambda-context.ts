import type { Context } from 'aws-lambda';

/** A Lambda context as the runtime passes it, with `remainingMs` left in the invocation. */
export function lambdaContext(remainingMs = 300_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'midaxo-change-notifier-poller',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:midaxo-change-notifier-poller',
    memoryLimitInMB: '512',
    awsRequestId: `request-${Math.random().toString(16).slice(2)}`,
    logGroupName: '/aws/lambda/midaxo-change-notifier-poller',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
