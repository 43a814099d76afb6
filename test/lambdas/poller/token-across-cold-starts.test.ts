/**
 * The Midaxo token over containers of one deployment: the real handler against the sandbox and DynamoDB
 * Local. A cold start within the token's lifetime asks the auth server nothing; a token the API refuses
 * is refreshed once and replaced for the containers after; a cached entry that cannot be used costs one
 * token request and is logged without the token, never failing the run.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import { STATE_ATTRIBUTES } from '../../../shared/adapters/dynamodb/state-table.js';
import { type PollerHarness, startPollerHarness } from '../../faults/poller-harness.js';
import { cachedTokenItems, createLocalDynamoDbClient } from '../../support/dynamodb-test-table.js';

const PROCESS = 'process-tokens';

describe('the Midaxo token across cold starts', () => {
  const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
  const logged: string[] = [];
  let harness: PollerHarness;

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { [PROCESS]: sampleProjects(6) },
    });
  });

  beforeEach(async () => {
    await harness.forgetCachedTokens();
    harness.clock.advance(60);
    harness.sandbox.resetObservations();
    harness.clearDynamoDbRequests();
  });

  afterAll(async () => {
    await harness.close();
    client.destroy();
  });

  /** A new container, its warnings kept. */
  const coldStart = () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    logger.warn = (message: string, ...rest: unknown[]) => {
      logged.push(JSON.stringify([message, ...rest]));
    };
    return harness.createHandler({ logger });
  };
  const tokenCacheRequests = () =>
    harness.dynamoDbRequests().filter((request) => request.includes('token cache'));

  it('makes no token request in a cold start within the token’s lifetime', async () => {
    await harness.invoke({ mode: 'poll' }, undefined, coldStart());
    harness.sandbox.resetObservations();
    harness.clearDynamoDbRequests();

    harness.clock.advance(15 * 60);
    const summary = await harness.invoke({ mode: 'poll' }, undefined, coldStart());

    expect(summary.processes[0]).toMatchObject({ complete: true });
    expect(harness.sandbox.counters).toMatchObject({ tokenRequests: 0, listingRequests: 1 });
    expect(tokenCacheRequests()).toEqual(['GetItem (token cache)']);
  });

  it('refreshes a refused cached token once, and the next cold start takes the replacement', async () => {
    await harness.invoke({ mode: 'poll' }, undefined, coldStart());
    harness.sandbox.revokeTokens();
    harness.sandbox.resetObservations();

    const refreshed = await harness.invoke({ mode: 'poll' }, undefined, coldStart());
    const refreshedCounters = harness.sandbox.counters;
    harness.sandbox.resetObservations();
    const next = await harness.invoke({ mode: 'poll' }, undefined, coldStart());

    expect(refreshed.processes[0]).toMatchObject({ complete: true });
    expect(refreshedCounters).toMatchObject({ tokenRequests: 1, listingRequests: 2 });
    expect(next.processes[0]).toMatchObject({ complete: true });
    expect(harness.sandbox.counters).toMatchObject({ tokenRequests: 0, listingRequests: 1 });
    expect(await cachedTokenItems(client, harness.tableName)).toHaveLength(1);
  });

  it('runs on a token from the auth server when the cached entry is unusable, logging why without the token', async () => {
    await harness.invoke({ mode: 'poll' }, undefined, coldStart());
    const [item] = await cachedTokenItems(client, harness.tableName);
    const sealed = item?.[STATE_ATTRIBUTES.sealedToken]?.S ?? '';
    await client.send(
      new PutItemCommand({
        TableName: harness.tableName,
        Item: { ...item, [STATE_ATTRIBUTES.usableUntil]: { S: 'not an instant' } },
      }),
    );
    harness.sandbox.resetObservations();
    logged.length = 0;

    const summary = await harness.invoke({ mode: 'poll' }, undefined, coldStart());

    expect(summary.processes[0]).toMatchObject({ complete: true });
    expect(harness.sandbox.counters).toMatchObject({ tokenRequests: 1 });
    expect(logged).toEqual([expect.stringMatching(/Midaxo token cache not used.*malformed: usableUntil/)]);
    expect(logged.join('')).not.toContain(sealed);
    expect(harness.secrets.leaksIn(logged.join(''))).toEqual([]);
  });
});
