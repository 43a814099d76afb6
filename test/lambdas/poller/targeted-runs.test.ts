/**
 * The invocation payload through the real handler: a run restricted to workspaces or processes reads and
 * lists only those, a replay is handed over validated, and a bad payload is refused before anything is
 * read, listed or stored.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { createPollerHandler } from '../../../lambdas/poller/create-poller-handler.js';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import type { RunSummary } from '../../../shared/core/poll-run.js';
import { type PollerHarness, SECRET_ID, startPollerHarness } from '../../faults/poller-harness.js';
import { lambdaContext } from './lambda-context.js';

const WORKSPACES = [
  { name: 'acme', secretId: SECRET_ID, processIds: ['acme-1', 'acme-2'] },
  { name: 'beta', secretId: SECRET_ID, processIds: ['beta-1'] },
];

describe('targeted runs and strict payloads through the poller handler', () => {
  let harness: PollerHarness;

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { 'acme-1': sampleProjects(3), 'acme-2': sampleProjects(2), 'beta-1': sampleProjects(4) },
      env: { MIDAXO_WORKSPACES: JSON.stringify(WORKSPACES) },
    });
  });

  beforeEach(() => {
    harness.clock.advance(120);
    harness.sandbox.resetObservations();
  });

  afterAll(async () => {
    await harness.close();
  });

  let aws: { calls(): unknown[]; restore(): void }[] = [];
  afterEach(() => {
    for (const client of aws) client.restore();
    aws = [];
  });

  const listedProcesses = () =>
    [...new Set(harness.sandbox.requests.map((request) => request.path))].filter((path) =>
      path.startsWith('/processes/'),
    );
  const ran = (summary: RunSummary) =>
    summary.processes.map((outcome) => `${outcome.workspace}/${outcome.processId}`);

  it('polls only the workspace the schedule names', async () => {
    const summary = await harness.invoke({ mode: 'poll', workspaces: ['beta'] });

    expect(ran(summary)).toEqual(['beta/beta-1']);
    expect(listedProcesses()).toEqual(['/processes/beta-1/projects']);
    expect(await harness.watermark('acme-1')).toBeUndefined();
  });

  it('reconciles only the named processes', async () => {
    await harness.invoke({});
    harness.sandbox.resetObservations();

    const summary = await harness.invoke({ mode: 'reconcile', processIds: ['acme-2'] });

    expect(ran(summary)).toEqual(['acme/acme-2']);
    expect(summary.processes[0]).toMatchObject({ mode: 'reconcile', complete: true });
    expect(listedProcesses()).toEqual(['/processes/acme-2/projects']);
  });

  it('polls every workspace and process in one invocation when the payload names none', async () => {
    const summary = await harness.invoke({});

    expect(ran(summary)).toEqual(['acme/acme-1', 'acme/acme-2', 'beta/beta-1']);
  });

  it('replays the selected workspace from the event log: the same events again, and no Midaxo request', async () => {
    await harness.invoke({});
    const since = harness.clock.now().toISOString();
    harness.clock.advance(60);
    const [project] = harness.sandbox.projects('acme-1');
    harness.sandbox.updateProject('acme-1', project?.id ?? '', { stage: 'Replayed' });
    const [other] = harness.sandbox.projects('beta-1');
    harness.sandbox.updateProject('beta-1', other?.id ?? '', { stage: 'Replayed' });
    harness.clock.advance(60);
    harness.sns.startRun(1);
    await harness.invoke({});
    const published = harness.sns.acceptedIn(1).map((accepted) => accepted.event);
    harness.clock.advance(60);
    harness.sandbox.resetObservations();
    harness.sns.startRun(2);

    const summary = await harness.invoke({ mode: 'replay', workspaces: ['acme'], since });

    expect(ran(summary)).toEqual(['acme/acme-1', 'acme/acme-2']);
    const replayed = harness.sns.acceptedIn(2).map((accepted) => accepted.event);
    expect(replayed).toEqual(published.filter((event) => event.data.processId === 'acme-1'));
    expect(replayed).toHaveLength(1);
    expect(harness.sandbox.counters).toMatchObject({ tokenRequests: 0, listingRequests: 0 });
  });

  it.each([
    ['a misspelt key', { mode: 'poll', procesIds: ['acme-1'] }, 'unknown key "procesIds"'],
    ['an unknown mode', { mode: 'sweep' }, '- mode: expected "poll", "reconcile", "replay"'],
    ['a workspace that is not configured', { workspaces: ['gamma'] }, '"gamma" not configured'],
    ['a process that is not configured', { processIds: ['beta-2'] }, '"beta-2" not configured'],
    ['a malformed since', { mode: 'replay', since: 'yesterday' }, '- since: expected an RFC 3339'],
  ])('refuses %s, naming it, before any request to Midaxo or AWS', async (_, event, expected) => {
    // Mocks on the client classes: every request the handler could make is recorded, none is sent.
    aws = [mockClient(DynamoDBClient), mockClient(SNSClient), mockClient(SecretsManagerClient)];
    const fetch = vi.fn<typeof globalThis.fetch>();
    const handler = createPollerHandler({
      env: {
        MIDAXO_INSTANCE: 'eu',
        MIDAXO_WORKSPACES: JSON.stringify(WORKSPACES),
        STATE_TABLE_NAME: 'state',
        TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:midaxo-changes',
      },
      dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
      sns: new SNSClient({ region: 'eu-west-1' }),
      secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
      fetch,
      logger: new Logger({ logLevel: 'SILENT' }),
    });

    const error = await handler(event, lambdaContext()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(expected);
    expect(fetch).not.toHaveBeenCalled();
    for (const client of aws) expect(client.calls()).toEqual([]);
  });
});
