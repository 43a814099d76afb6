/**
 * The poller end to end: the real handler (config, middy, adapters) against the Midaxo sandbox and
 * DynamoDB Local, with SNS and Secrets Manager stood in by aws-sdk-client-mock, over several runs
 * with edits in between.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createPollerHandler } from '../../../lambdas/poller/create-poller-handler.js';
import {
  DEFAULT_SANDBOX_CLIENT,
  type MidaxoSandbox,
  startMidaxoSandbox,
} from '../../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import type { ChangeEvent } from '../../../shared/core/change-event.js';
import type { RunSummary } from '../../../shared/core/poll-run.js';
import { ManualClock } from '../../fakes/in-memory-ports.js';
import {
  createLocalLambdaDynamoDbClient,
  createStateTable,
  storedWatermark,
} from '../../support/dynamodb-test-table.js';
import { lambdaContext } from './lambda-context.js';

const PROCESS = 'process-e2e';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:midaxo-changes';
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const CRM_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/crm-delivery';
const ERP_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/erp-delivery';
const secretsManager = mockClient(SecretsManagerClient);
const dynamodb = createLocalLambdaDynamoDbClient(inject('dynamoDbEndpoint'));
/** Set by a test to make every DynamoDB write fail; added before the first request, as the client caches its stack. */
const dynamoDbOutage = { writesFail: false };
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
dynamodb.middlewareStack.add(
  (next, context) => async (args) => {
    if (dynamoDbOutage.writesFail && WRITES.has(String(context.commandName))) {
      throw new Error('DynamoDB unavailable');
    }
    return next(args);
  },
  { step: 'initialize', name: 'dynamoDbOutage' },
);

/** The CloudEvent of a published entry: the message itself, or its `default` with MessageStructure=json. */
function eventOf(entry: PublishBatchRequestEntry): ChangeEvent {
  const body = JSON.parse(entry.Message ?? '');
  return (entry.MessageStructure === 'json' ? JSON.parse(body.default) : body) as ChangeEvent;
}

describe('poller handler end to end', () => {
  let sandbox: MidaxoSandbox;
  let clock: ManualClock;
  let tableName: string;
  let published: PublishBatchRequestEntry[];
  let handler: ReturnType<typeof createPollerHandler>;

  const invoke = (event: unknown = { mode: 'poll' }) =>
    handler(event, lambdaContext()) as Promise<RunSummary>;
  const events = (): ChangeEvent[] => published.map(eventOf);
  const later = (seconds = 300) => clock.advance(seconds);
  const acceptEveryPublish = () =>
    sns
      .on(PublishBatchCommand)
      .callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
        published.push(...input.PublishBatchRequestEntries);
        return {
          Successful: input.PublishBatchRequestEntries.map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
        };
      });

  beforeAll(async () => {
    clock = new ManualClock(new Date('2026-11-27T08:00:00.000Z'));
    sandbox = await startMidaxoSandbox({
      now: () => clock.now(),
      maxPageSize: 7,
      processes: { [PROCESS]: sampleProjects(30) },
    });
    tableName = await createStateTable(dynamodb);
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        client_id: DEFAULT_SANDBOX_CLIENT.clientId,
        client_secret: DEFAULT_SANDBOX_CLIENT.clientSecret,
      }),
    });
    handler = createPollerHandler({
      env: {
        MIDAXO_INSTANCE: 'eu',
        MIDAXO_API_URL: sandbox.apiUrl,
        MIDAXO_AUTH_URL: sandbox.authUrl,
        MIDAXO_SECRET_ID: 'midaxo/acme',
        MIDAXO_PROCESS_IDS: PROCESS,
        STATE_TABLE_NAME: tableName,
        TOPIC_ARN,
        PAGE_SIZE: '10',
        WEBHOOK_REPLAY_QUEUES: JSON.stringify({ crm: CRM_QUEUE_URL, erp: ERP_QUEUE_URL }),
      },
      dynamodb,
      sns: new SNSClient({ region: 'eu-west-1' }),
      sqs: new SQSClient({ region: 'eu-west-1' }),
      secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
      clock,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
  });

  beforeEach(() => {
    published = [];
    sns.reset();
    acceptEveryPublish();
  });

  afterAll(async () => {
    await sandbox.close();
    dynamodb.destroy();
  });

  it('records a silent baseline of every project on the first run, paging past the server cap', async () => {
    later(60);

    const summary = await invoke();

    expect(summary.processes).toEqual([
      expect.objectContaining({ workspace: 'default', processId: PROCESS, mode: 'baseline', scanned: 30 }),
    ]);
    expect(summary.processes[0]).toMatchObject({ created: 30, published: 0, complete: true });
    expect(summary.processes[0]).toMatchObject({ pages: expect.any(Number) });
    expect(sandbox.counters.listingRequests).toBeGreaterThanOrEqual(5);
    expect(published).toEqual([]);
  });

  it('publishes one event per real change, with the diff, attributes and CloudEvents fields', async () => {
    later(60);
    const [first, second, third, touched] = sandbox.projects(PROCESS);
    sandbox.updateProject(PROCESS, first?.id ?? '', { stage: 'Closing' });
    sandbox.updateProject(PROCESS, second?.id ?? '', { owner: { id: 'u-99', name: 'Robin Reviewer' } });
    sandbox.updateProject(PROCESS, third?.id ?? '', { stage: 'Won', tags: ['priority'] });
    sandbox.updateProject(PROCESS, touched?.id ?? '', {});
    sandbox.upsertProject(PROCESS, { id: 'prj-new', name: 'Project Falcon', stage: 'Screening' });
    later(60);

    const summary = await invoke();

    expect(summary.processes[0]).toMatchObject({ mode: 'incremental', created: 1, updated: 3, unchanged: 1 });
    const byProject = new Map(events().map((event) => [event.subject, event]));
    expect([...byProject.keys()].sort()).toEqual([first?.id, second?.id, third?.id, 'prj-new'].sort());
    expect(byProject.get(first?.id ?? '')).toMatchObject({
      specversion: '1.0',
      type: 'com.midaxo.project.updated',
      source: `${sandbox.apiUrl}/processes/${PROCESS}/projects/${first?.id}`,
      sequence: '00000000000000000001',
      datacontenttype: 'application/json',
      data: { processId: PROCESS, changes: [{ path: '/stage', before: first?.stage, after: 'Closing' }] },
    });
    expect(byProject.get('prj-new')?.sequence).toBe('00000000000000000001');
    expect(byProject.get(second?.id ?? '')?.data.changes.map((change) => change.path)).toEqual([
      '/owner/id',
      '/owner/name',
    ]);
    const thirdEntry = published.find((entry) => eventOf(entry).subject === third?.id);
    expect(thirdEntry?.MessageAttributes).toEqual({
      eventType: { DataType: 'String', StringValue: 'updated' },
      processId: { DataType: 'String', StringValue: PROCESS },
      changedFields: { DataType: 'String.Array', StringValue: '["stage","tags"]' },
    });
  });

  it('on an idle run makes one listing request, reuses the warm token and publishes nothing', async () => {
    later(900);
    await invoke();
    later(900);
    sandbox.resetObservations();

    const summary = await invoke();

    expect(summary.processes[0]).toMatchObject({ scanned: 0, pages: 0, complete: true });
    expect(sandbox.counters.listingRequests).toBe(1);
    expect(sandbox.counters.tokenRequests).toBe(0);
    expect(published).toEqual([]);
  });

  it('fails the run without moving the watermark when SNS keeps rejecting, and the next run delivers', async () => {
    const watermarkBefore = await storedWatermark(dynamodb, tableName, PROCESS);
    const [project] = sandbox.projects(PROCESS);
    sandbox.updateProject(PROCESS, project?.id ?? '', { stage: 'On hold' });
    later();
    sns.on(PublishBatchCommand).resolves({
      Failed: [{ Id: 'm0', Code: 'InternalError', SenderFault: false }],
    });

    await expect(invoke()).rejects.toThrow(/1 of 1 processes failed/);

    expect(await storedWatermark(dynamodb, tableName, PROCESS)).toBe(watermarkBefore);
    sns.reset();
    acceptEveryPublish();
    later();

    await invoke();

    expect(events().map((event) => [event.subject, event.data.changes])).toEqual([
      [project?.id, [{ path: '/stage', before: project?.stage, after: 'On hold' }]],
    ]);
    expect(Date.parse((await storedWatermark(dynamodb, tableName, PROCESS)) ?? '')).toBeGreaterThan(
      Date.parse(watermarkBefore ?? ''),
    );
  });

  it('publishes deleted with the last snapshot on a reconcile run after a project disappears', async () => {
    const [gone] = sandbox.projects(PROCESS);
    sandbox.deleteProject(PROCESS, gone?.id ?? '');
    later();

    const summary = await invoke({ mode: 'reconcile' });

    expect(summary.processes[0]).toMatchObject({ mode: 'reconcile', deleted: 1, complete: true });
    expect(events()).toEqual([
      expect.objectContaining({
        type: 'com.midaxo.project.deleted',
        subject: gone?.id,
        data: expect.objectContaining({
          project: expect.objectContaining({ id: gone?.id, name: gone?.name }),
        }),
      }),
    ]);
  });

  it('fails clearly, naming the secret and not its content, when the secret is malformed', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: '{"client_id":"x","client_secret":""}' });

    await expect(otherWorkspaceHandler()({ mode: 'poll' }, lambdaContext())).rejects.toThrow(
      /Secret midaxo\/other is malformed.*\n.*client_secret/s,
    );
  });

  it('picks up a rotated secret on the run after the old credentials were rejected, not 15 minutes later', async () => {
    const handlerOfOther = otherWorkspaceHandler();
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ client_id: 'old-id', client_secret: 'old-secret' }) });
    await expect(handlerOfOther({ mode: 'poll' }, lambdaContext())).rejects.toThrow(/MidaxoAuthError/);
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        client_id: DEFAULT_SANDBOX_CLIENT.clientId,
        client_secret: DEFAULT_SANDBOX_CLIENT.clientSecret,
      }),
    });
    later();

    const summary = (await handlerOfOther({ mode: 'poll' }, lambdaContext())) as RunSummary;

    expect(summary.processes[0]).toMatchObject({ complete: true });
  });

  describe('the event contract, through the sandbox, DynamoDB Local and the real handler', () => {
    const contractProject = 'prj-contract';
    const eventsOfProject = () => events().filter((event) => event.subject === contractProject);

    it('gives a stage set back and forth (A → B → A → B) four distinct ids in consecutive sequence', async () => {
      sandbox.upsertProject(PROCESS, { id: contractProject, name: 'Project Kestrel', stage: 'LOI' });
      later();
      await invoke();
      for (const stage of ['Due diligence', 'LOI', 'Due diligence']) {
        sandbox.updateProject(PROCESS, contractProject, { stage });
        later();
        await invoke();
      }

      const lifecycle = eventsOfProject();
      expect(lifecycle.map((event) => event.type.split('.').at(-1))).toEqual([
        'created',
        'updated',
        'updated',
        'updated',
      ]);
      expect(new Set(lifecycle.map((event) => event.id)).size).toBe(4);
      expect(lifecycle.map((event) => Number(event.sequence))).toEqual([1, 2, 3, 4]);
      expect(lifecycle.every((event) => /^\d{20}$/.test(event.sequence))).toBe(true);
    });

    it('publishes a change again with the same id when SNS took it but the run did not learn so', async () => {
      sandbox.updateProject(PROCESS, contractProject, { stage: 'Signing' });
      later();
      sns.reset();
      // SNS delivers the entries, then the answer is lost: to the poller the publish failed.
      sns
        .on(PublishBatchCommand)
        .callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
          published.push(...input.PublishBatchRequestEntries);
          throw Object.assign(new Error('socket hang up'), { name: 'AccessDeniedException' });
        });
      await expect(invoke()).rejects.toThrow(/1 of 1 processes failed/);
      const [lost] = eventsOfProject();
      sns.reset();
      acceptEveryPublish();
      later();

      const summary = await invoke();

      expect(summary.processes[0]).toMatchObject({ recovered: 1, complete: true });
      expect(eventsOfProject()).toEqual([lost, lost]);
      expect(lost?.sequence).toBe('00000000000000000005');
    });

    it('delivers a change of 12,000 top-level fields within SNS limits, and the watermark moves on', async () => {
      const wide = Object.fromEntries(Array.from({ length: 12_000 }, (_, n) => [`field${n}`, `value ${n}`]));
      sandbox.updateProject(PROCESS, contractProject, wide);
      later();
      const before = await storedWatermark(dynamodb, tableName, PROCESS);

      const summary = await invoke();

      expect(summary.processes[0]).toMatchObject({ updated: 1, complete: true });
      const [entry] = published;
      // As SNS counts a message: its text, its subject, and each attribute's name, type and value.
      const attributes = Object.entries(entry?.MessageAttributes ?? {}).map(
        ([name, value]) => name + (value.DataType ?? '') + (value.StringValue ?? ''),
      );
      const bytes =
        Buffer.byteLength(entry?.Message ?? '') +
        Buffer.byteLength(entry?.Subject ?? '') +
        Buffer.byteLength(attributes.join(''));
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
      expect(entry?.MessageAttributes?.changedFields?.StringValue).toBe('["*"]');
      expect(eventsOfProject()[0]).toMatchObject({
        sequence: '00000000000000000006',
        data: { truncated: true, projectName: expect.any(String), omittedChanges: expect.any(Number) },
      });
      expect(Date.parse((await storedWatermark(dynamodb, tableName, PROCESS)) ?? '')).toBeGreaterThan(
        Date.parse(before ?? ''),
      );
    });

    it('announces the deletion of a project whose creation was published just before every DynamoDB write failed', async () => {
      sns.reset();
      sns
        .on(PublishBatchCommand)
        .callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
          published.push(...input.PublishBatchRequestEntries);
          dynamoDbOutage.writesFail = true;
          return {
            Successful: input.PublishBatchRequestEntries.map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
          };
        });
      try {
        sandbox.upsertProject(PROCESS, { id: 'prj-fleeting', name: 'Fleeting', stage: 'LOI' });
        later();
        await expect(invoke()).rejects.toThrow(/1 of 1 processes failed/);
        dynamoDbOutage.writesFail = false;
        sns.reset();
        acceptEveryPublish();
        sandbox.deleteProject(PROCESS, 'prj-fleeting');
        // The failed run could not give its claim back: the next one waits for it to expire.
        later(3600);

        await invoke();
        await invoke({ mode: 'reconcile' });

        const fleeting = events().filter((event) => event.subject === 'prj-fleeting');
        expect(fleeting.map((event) => [event.type, event.sequence.slice(-1)])).toEqual([
          ['com.midaxo.project.created', '1'],
          ['com.midaxo.project.created', '1'],
          ['com.midaxo.project.deleted', '2'],
        ]);
        expect(fleeting[0]?.id).toBe(fleeting[1]?.id);
      } finally {
        dynamoDbOutage.writesFail = false;
      }
    });

    it('replays a range from the event log: the same events, and nothing asked of Midaxo', async () => {
      const since = later().toISOString();
      sandbox.updateProject(PROCESS, contractProject, { stage: 'Closing' });
      later();
      await invoke();
      const original = events();
      published = [];
      sandbox.resetObservations();
      later();

      await invoke({ mode: 'replay', since });

      expect(events()).toEqual(original);
      expect(sandbox.counters.listingRequests).toBe(0);
    });
  });

  it('replays to one webhook target only: its queue gets the same event JSON, nothing else is published', async () => {
    const since = later().toISOString();
    sandbox.upsertProject(PROCESS, { id: 'prj-replayed', name: 'Project Plover', stage: 'LOI' });
    later();
    await invoke();
    const original = published.map((entry) => JSON.parse(entry.Message ?? '{}').default as string);
    expect(original.length).toBeGreaterThan(0);
    published = [];
    const queued: { queueUrl: string; body: string }[] = [];
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input) => {
      for (const entry of input.Entries ?? [])
        queued.push({ queueUrl: input.QueueUrl, body: entry.MessageBody });
      return { Successful: (input.Entries ?? []).map((entry: { Id: string }) => ({ Id: entry.Id })) };
    });
    later();

    await invoke({ mode: 'replay', since, targets: ['crm'] });

    expect(published).toEqual([]);
    expect(queued.map((q) => q.queueUrl)).toEqual(original.map(() => CRM_QUEUE_URL));
    expect(queued.map((q) => q.body)).toEqual(original);
    await expect(invoke({ mode: 'replay', since, targets: ['billing'] })).rejects.toThrow(
      /targets: "billing" not a webhook target of this stack; known: "crm", "erp"/,
    );
  });

  function otherWorkspaceHandler() {
    return createPollerHandler({
      env: {
        MIDAXO_INSTANCE: 'eu',
        MIDAXO_API_URL: sandbox.apiUrl,
        MIDAXO_AUTH_URL: sandbox.authUrl,
        MIDAXO_SECRET_ID: 'midaxo/other',
        MIDAXO_PROCESS_IDS: PROCESS,
        STATE_TABLE_NAME: tableName,
        TOPIC_ARN,
      },
      dynamodb,
      sns: new SNSClient({ region: 'eu-west-1' }),
      secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
      clock,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
  }
});
