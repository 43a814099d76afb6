/**
 * What a container does once: the handler refuses a bad environment when it is created (the cold start
 * fails, before any invocation), and only the container's first invocation counts as its cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPollerHandler } from '../../../lambdas/poller/create-poller-handler.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import { lambdaContext } from './lambda-context.js';

const ENV = {
  MIDAXO_INSTANCE: 'eu',
  MIDAXO_SECRET_ID: 'midaxo/acme',
  MIDAXO_PROCESS_IDS: 'process-1',
  STATE_TABLE_NAME: 'state',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:midaxo-changes',
};

function handlerFor(env: Record<string, string>) {
  return createPollerHandler({
    env,
    dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
    sns: new SNSClient({ region: 'eu-west-1' }),
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
    fetch: vi.fn<typeof globalThis.fetch>(),
    logger: new Logger({ logLevel: 'SILENT' }),
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the poller handler over a container’s life', () => {
  it('refuses a bad environment when it is created, naming the variable, before any invocation', () => {
    const { TOPIC_ARN: _, ...withoutTopic } = ENV;

    expect(() => handlerFor(withoutTopic)).toThrow(ConfigError);
    expect(() => handlerFor(withoutTopic)).toThrow(/Invalid poller environment:\n- TOPIC_ARN/);
  });

  it('sends the ColdStart metric for the first invocation of a container only', async () => {
    // The suite switches metrics off to keep EMF lines out of its report; this test reads them.
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    // Metrics warns on stderr that the run added no metric of its own; that is expected here.
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const handler = handlerFor(ENV);
    // A refused payload ends each invocation before any request, after the metrics middleware's start.
    const invoke = () => handler({ mode: 'sweep' }, lambdaContext()).catch((error: unknown) => error);

    expect(await invoke()).toBeInstanceOf(ConfigError);
    expect(await invoke()).toBeInstanceOf(ConfigError);
    expect(await invoke()).toBeInstanceOf(ConfigError);

    const coldStarts = written.filter((line) => line.includes('"ColdStart"'));
    expect(coldStarts).toHaveLength(1);
    expect(JSON.parse(coldStarts[0] ?? '{}')).toMatchObject({ ColdStart: 1 });
  });
});
