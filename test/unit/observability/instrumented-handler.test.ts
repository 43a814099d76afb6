/**
 * Powertools around each invocation, as the Lambdas' logs and metrics show it: the invocation's context
 * in its log lines and nothing it appended left for the next, the cold start counted once, the metrics
 * out whether the handler returned, threw or was about to time out.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instrumentedHandler } from '../../../shared/observability/instrumented-handler.js';
import { type CapturedOutput, captureOutput } from '../../faults/captured-output.js';
import { lambdaContext } from '../../lambdas/poller/lambda-context.js';

let output: CapturedOutput;

beforeEach(() => {
  // The suite switches metrics off to keep EMF lines out of its report; these tests read them.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  vi.unstubAllEnvs();
});

function jsonLines(): Record<string, unknown>[] {
  return output
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const logLines = (message: string) => jsonLines().filter((line) => line.message === message);
const metricLines = (name: string) => jsonLines().filter((line) => name in line);

describe('instrumented handler', () => {
  it('logs with each invocation’s context, the first as the cold start, and drops the keys it appended', async () => {
    const logger = new Logger({ serviceName: 'test' });
    const handler = instrumentedHandler(
      async (event: unknown) => {
        logger.info('handled', { event });
        logger.appendKeys({ workspace: 'acme' });
        return 'done';
      },
      { logger },
    );
    const first = lambdaContext();
    const second = lambdaContext();

    expect(await handler({ n: 1 }, first)).toBe('done');
    expect(await handler({ n: 2 }, second)).toBe('done');
    logger.info('between invocations');

    const [one, two] = logLines('handled');
    expect(one).toMatchObject({ function_request_id: first.awsRequestId, cold_start: true });
    expect(two).toMatchObject({ function_request_id: second.awsRequestId, cold_start: false });
    expect(two).not.toHaveProperty('workspace');
    expect(logLines('between invocations')[0]).not.toHaveProperty('workspace');
  });

  it('logs the event when POWERTOOLS_LOGGER_LOG_EVENT asks for it', async () => {
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    const logger = new Logger({ serviceName: 'test' });

    await instrumentedHandler(async () => 'done', { logger })({ mode: 'poll' }, lambdaContext());

    expect(logLines('Lambda invocation event')[0]).toMatchObject({ event: { mode: 'poll' } });
  });

  it('counts the cold start once and publishes each invocation’s metrics, also when it throws', async () => {
    const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
    const failure = new Error('run failed');
    const handler = instrumentedHandler(
      async (event: unknown) => {
        metrics.addMetric('Runs', MetricUnit.Count, 1);
        if (event === 'fail') throw failure;
        return 'done';
      },
      { logger, metrics },
    );

    await handler('ok', lambdaContext());
    await expect(handler('fail', lambdaContext())).rejects.toBe(failure);

    expect(metricLines('ColdStart')).toHaveLength(1);
    expect(metricLines('Runs')).toEqual([
      expect.objectContaining({ Runs: 1 }),
      expect.objectContaining({ Runs: 1 }),
    ]);
  });

  it('fails an invocation still running shortly before the deadline, its metrics published', async () => {
    const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
    const handler = instrumentedHandler(
      async () => {
        metrics.addMetric('Runs', MetricUnit.Count, 1);
        return new Promise<string>(() => undefined);
      },
      { logger, metrics },
    );
    const context = lambdaContext(60);
    const started = Date.now();

    await expect(handler({}, context)).rejects.toMatchObject({ name: 'TimeoutError' });

    expect(Date.now() - started).toBeLessThan(60);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(metricLines('Runs')).toHaveLength(1);
  });
});
