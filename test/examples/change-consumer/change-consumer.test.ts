/**
 * The reference consumer end to end against DynamoDB Local: the real handler (config, middy,
 * Powertools idempotency, the sequence guard, the example's business logic) fed SQS events whose
 * bodies are CloudEvents built by the CloudEvents SDK, as a standard producer emits them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import type { ApplyChange } from '../../../examples/change-consumer/consume-change.js';
import {
  IDEMPOTENCY_TABLE,
  idempotencyTableDefinition,
  projectKeyOf,
  projectsTableDefinition,
} from '../../../examples/change-consumer/consumer-tables.js';
import { createChangeConsumerHandler } from '../../../examples/change-consumer/create-change-consumer-handler.js';
import { keepLatestSnapshot } from '../../../examples/change-consumer/keep-latest-snapshot.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import { lambdaContext } from '../../lambdas/poller/lambda-context.js';
import { createLocalDynamoDbClient, createTable } from '../../support/dynamodb-test-table.js';
import { changeEvent, deliveryOf, sequenceOf, sqsEventOf } from './sample-deliveries.js';

const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
const documents = DynamoDBDocumentClient.from(client);

afterAll(() => client.destroy());

/** A consumer with tables of its own; `instance()` is one more Lambda instance sharing them. */
async function freshConsumer(applyChange: ApplyChange = keepLatestSnapshot) {
  const [idempotencyTableName, projectsTableName] = await Promise.all([
    createTable(client, idempotencyTableDefinition, { timeToLive: IDEMPOTENCY_TABLE.timeToLive }),
    createTable(client, projectsTableDefinition),
  ]);
  const env = { IDEMPOTENCY_TABLE_NAME: idempotencyTableName, PROJECTS_TABLE_NAME: projectsTableName };
  const applyCalls = vi.fn(applyChange);
  const logger = new Logger({ logLevel: 'SILENT' });
  const instance = () => {
    const handler = createChangeConsumerHandler({ env, dynamoDb: client, applyChange: applyCalls, logger });
    return (event: SQSEvent) => handler(event, lambdaContext());
  };
  const deliver = instance();

  const projectItem = async (projectId: string, processId = 'proc-emea') => {
    const { Item } = await documents.send(
      new GetCommand({
        TableName: projectsTableName,
        Key: { projectKey: projectKeyOf(processId, projectId) },
        ConsistentRead: true,
      }),
    );
    return Item;
  };
  const forgetProcessedIds = async () => {
    const { Items = [] } = await documents.send(new ScanCommand({ TableName: idempotencyTableName }));
    for (const item of Items) {
      await documents.send(new DeleteCommand({ TableName: idempotencyTableName, Key: { id: item.id } }));
    }
    return Items.length;
  };
  return { deliver, instance, applyCalls, logger, projectItem, forgetProcessedIds };
}

const noFailures = { batchItemFailures: [] };

describe('the reference change consumer against DynamoDB Local', () => {
  it('applies an event delivered twice (same id, in one batch and again later) once', async () => {
    const consumer = await freshConsumer();
    const event = changeEvent({
      projectId: 'prj-dup',
      sequence: 1,
      type: 'created',
      project: { name: 'Falcon' },
    });

    expect(await consumer.deliver(deliveryOf(event, event))).toEqual(noFailures);
    expect(await consumer.deliver(deliveryOf(event))).toEqual(noFailures);

    expect(consumer.applyCalls).toHaveBeenCalledTimes(1);
    expect(await consumer.projectItem('prj-dup')).toEqual({
      projectKey: 'proc-emea/prj-dup',
      claimedSequence: sequenceOf(1),
      claimedEventId: event.id,
      appliedSequence: sequenceOf(1),
      appliedEventId: event.id,
      view: { status: 'present', snapshot: '{"name":"Falcon"}', changeType: 'com.midaxo.project.created' },
    });
  });

  it('logs each outcome: applied, duplicate, and stale for an older sequence', async () => {
    const consumer = await freshConsumer();
    const info = vi.spyOn(consumer.logger, 'info');
    const newer = changeEvent({ projectId: 'prj-log', sequence: 3 });
    const older = changeEvent({ projectId: 'prj-log', sequence: 2 });

    await consumer.deliver(deliveryOf(newer, newer, older));

    expect(info.mock.calls.map(([, fields]) => fields)).toEqual([
      expect.objectContaining({ eventId: newer.id, sequence: sequenceOf(3), outcome: 'applied' }),
      expect.objectContaining({ eventId: newer.id, sequence: sequenceOf(3), outcome: 'duplicate' }),
      expect.objectContaining({ eventId: older.id, sequence: sequenceOf(2), outcome: 'stale' }),
    ]);
  });

  it('ignores an event whose sequence is older than the one applied (3 then 2 keeps 3)', async () => {
    const consumer = await freshConsumer();
    const third = changeEvent({ projectId: 'prj-order', sequence: 3, project: { stage: 'Due Diligence' } });
    const second = changeEvent({ projectId: 'prj-order', sequence: 2, project: { stage: 'Screening' } });

    expect(await consumer.deliver(deliveryOf(third))).toEqual(noFailures);
    expect(await consumer.deliver(deliveryOf(second))).toEqual(noFailures);

    expect(await consumer.projectItem('prj-order')).toMatchObject({
      appliedSequence: sequenceOf(3),
      appliedEventId: third.id,
      view: { snapshot: '{"stage":"Due Diligence"}' },
    });
  });

  it('never runs the business logic for an event older than the one applied', async () => {
    const consumer = await freshConsumer();
    const third = changeEvent({ projectId: 'prj-logic', sequence: 3 });
    const second = changeEvent({ projectId: 'prj-logic', sequence: 2 });

    await consumer.deliver(deliveryOf(third, second, third));

    expect(consumer.applyCalls).toHaveBeenCalledTimes(1);
    expect(consumer.applyCalls).toHaveBeenCalledWith(expect.objectContaining({ id: third.id }));
  });

  it('does not start an older event’s business logic once a newer one claimed the project, nor store an older view made meanwhile', async () => {
    const held = new Map<string, () => void>();
    const hold = new Set([sequenceOf(9), sequenceOf(6)]);
    const consumer = await freshConsumer(async (change) => {
      if (hold.delete(change.sequence)) await new Promise<void>((go) => held.set(change.sequence, go));
      return keepLatestSnapshot(change);
    });
    const [instanceA, instanceB] = [consumer.instance(), consumer.instance()];
    const event = (projectId: string, sequence: number) =>
      deliveryOf(changeEvent({ projectId, sequence, project: { seq: sequence } }));
    const whenHeld = (sequence: number) =>
      vi.waitFor(() => expect(held.has(sequenceOf(sequence))).toBe(true));

    // 9's logic is running when 8 arrives: 8 is stale before its logic could start.
    const ninth = instanceA(event('prj-claim', 9));
    await whenHeld(9);
    expect(await instanceB(event('prj-claim', 8))).toEqual(noFailures);
    expect(consumer.applyCalls).toHaveBeenCalledTimes(1);
    held.get(sequenceOf(9))?.();
    expect(await ninth).toEqual(noFailures);

    // 6's logic is running when 7 arrives and is applied: 6's view, finished later, is not stored.
    const sixth = instanceA(event('prj-overtaken', 6));
    await whenHeld(6);
    expect(await instanceB(event('prj-overtaken', 7))).toEqual(noFailures);
    held.get(sequenceOf(6))?.();
    expect(await sixth).toEqual(noFailures);

    expect(await consumer.projectItem('prj-claim')).toMatchObject({ view: { snapshot: '{"seq":9}' } });
    expect(await consumer.projectItem('prj-overtaken')).toMatchObject({
      appliedSequence: sequenceOf(7),
      view: { snapshot: '{"seq":7}' },
    });
  });

  it('refuses an event whose source names another project than its subject and process, applying nothing', async () => {
    const consumer = await freshConsumer();
    const honest = changeEvent({ projectId: 'prj-source', sequence: 1 });
    const otherProject = { ...honest.toJSON(), source: honest.source.replace('prj-source', 'prj-other') };
    const otherProcess = { ...honest.toJSON(), source: honest.source.replace('proc-emea', 'proc-apac') };
    const delivery = sqsEventOf(JSON.stringify(otherProject), JSON.stringify(otherProcess));

    expect(await consumer.deliver(delivery)).toEqual({
      batchItemFailures: delivery.Records.map(({ messageId }) => ({ itemIdentifier: messageId })),
    });
    expect(consumer.applyCalls).not.toHaveBeenCalled();
    expect(await consumer.projectItem('prj-source')).toBeUndefined();
  });

  it('orders the events of a project whose id is 5,000 characters long, as the notifier may send', async () => {
    const consumer = await freshConsumer();
    const longId = `prj-${'é'.repeat(4_996)}`;
    const third = changeEvent({ projectId: longId, sequence: 3, project: { stage: 'Signing' } });
    const second = changeEvent({ projectId: longId, sequence: 2, project: { stage: 'LOI' } });

    expect(await consumer.deliver(deliveryOf(third, second))).toEqual(noFailures);

    expect(await consumer.projectItem(longId)).toMatchObject({ appliedSequence: sequenceOf(3) });
  });

  it('keeps the projects of different processes apart, even with the same project id', async () => {
    const consumer = await freshConsumer();

    await consumer.deliver(
      deliveryOf(
        changeEvent({ processId: 'proc-a', projectId: 'prj-1', sequence: 9, project: { in: 'a' } }),
        changeEvent({ processId: 'proc-b', projectId: 'prj-1', sequence: 1, project: { in: 'b' } }),
      ),
    );

    expect(await consumer.projectItem('prj-1', 'proc-a')).toMatchObject({ view: { snapshot: '{"in":"a"}' } });
    expect(await consumer.projectItem('prj-1', 'proc-b')).toMatchObject({ view: { snapshot: '{"in":"b"}' } });
  });

  it('applies a re-created project: deleted at 4, then created again at 5', async () => {
    const consumer = await freshConsumer();
    const created = changeEvent({ projectId: 'prj-again', sequence: 1, type: 'created', project: { v: 1 } });
    const deleted = changeEvent({ projectId: 'prj-again', sequence: 4, type: 'deleted' });
    const recreated = changeEvent({
      projectId: 'prj-again',
      sequence: 5,
      type: 'created',
      project: { v: 2 },
    });

    await consumer.deliver(deliveryOf(created));
    await consumer.deliver(deliveryOf(deleted));
    expect(await consumer.projectItem('prj-again')).toMatchObject({
      view: { status: 'deleted', snapshot: null },
    });

    expect(await consumer.deliver(deliveryOf(recreated))).toEqual(noFailures);
    expect(await consumer.projectItem('prj-again')).toMatchObject({
      appliedSequence: sequenceOf(5),
      view: { status: 'present', snapshot: '{"v":2}', changeType: 'com.midaxo.project.created' },
    });
  });

  it('keeps a re-created project present when its old deletion arrives after the re-creation', async () => {
    const consumer = await freshConsumer();

    await consumer.deliver(
      deliveryOf(
        changeEvent({ projectId: 'prj-late', sequence: 5, type: 'created', project: { v: 2 } }),
        changeEvent({ projectId: 'prj-late', sequence: 4, type: 'deleted' }),
      ),
    );

    expect(await consumer.projectItem('prj-late')).toMatchObject({
      appliedSequence: sequenceOf(5),
      view: { status: 'present', snapshot: '{"v":2}' },
    });
  });

  it('reports only the malformed records in batchItemFailures and applies the others', async () => {
    const consumer = await freshConsumer();
    const valid = (projectId: string) => JSON.stringify(changeEvent({ projectId, sequence: 1 }));
    const withField = (field: string, value: unknown) =>
      JSON.stringify({ ...changeEvent({ projectId: 'prj-bad', sequence: 1 }).toJSON(), [field]: value });
    const event = sqsEventOf(
      valid('prj-first'),
      'not json at all',
      withField('sequence', '3'),
      withField('type', 'com.example.other'),
      withField('subject', 'another-project'),
      withField('id', 'not-a-hex-id'),
      JSON.stringify({ hello: 'world' }),
      valid('prj-last'),
    );
    const messageIds = event.Records.map((record) => record.messageId);

    const response = await consumer.deliver(event);

    expect(response.batchItemFailures).toEqual(
      messageIds.slice(1, -1).map((itemIdentifier) => ({ itemIdentifier })),
    );
    expect(await consumer.projectItem('prj-first')).toMatchObject({ appliedSequence: sequenceOf(1) });
    expect(await consumer.projectItem('prj-last')).toMatchObject({ appliedSequence: sequenceOf(1) });
    expect(await consumer.projectItem('prj-bad')).toBeUndefined();
  });

  it('applies concurrent deliveries of two sequences in order, whichever instance writes first', async () => {
    const consumer = await freshConsumer();
    const [instanceA, instanceB] = [consumer.instance(), consumer.instance()];

    for (let round = 1; round <= 10; round++) {
      const projectId = `prj-race-${round}`;
      const older = deliveryOf(changeEvent({ projectId, sequence: 6, project: { seq: 6 } }));
      const newer = deliveryOf(changeEvent({ projectId, sequence: 7, project: { seq: 7 } }));
      const [first, second] = round % 2 === 0 ? [older, newer] : [newer, older];

      const responses = await Promise.all([instanceA(first), instanceB(second)]);

      expect(responses).toEqual([noFailures, noFailures]);
      expect(await consumer.projectItem(projectId)).toMatchObject({
        appliedSequence: sequenceOf(7),
        view: { snapshot: '{"seq":7}' },
      });
    }
  });

  it('ends at the newest of many sequences delivered at once to several instances in any order', async () => {
    const consumer = await freshConsumer();
    const instances = [consumer.instance(), consumer.instance(), consumer.instance()];
    const sequences = [12, 3, 20, 7, 1, 15, 9, 18, 5, 11, 2, 16, 8, 19, 4, 14, 6, 17, 10, 13];

    await Promise.all(
      sequences.map((sequence, n) =>
        instances[n % instances.length]?.(deliveryOf(changeEvent({ projectId: 'prj-many', sequence }))),
      ),
    );

    expect(await consumer.projectItem('prj-many')).toMatchObject({ appliedSequence: sequenceOf(20) });
  });

  it('processes an event again when its first attempt failed, instead of skipping it as a duplicate', async () => {
    let failuresLeft = 1;
    const consumer = await freshConsumer((change) => {
      if (failuresLeft-- > 0) throw new Error('downstream system unavailable');
      return keepLatestSnapshot(change);
    });
    const event = changeEvent({ projectId: 'prj-retry', sequence: 2 });
    const first = deliveryOf(event);

    expect(await consumer.deliver(first)).toEqual({
      batchItemFailures: [{ itemIdentifier: first.Records[0]?.messageId }],
    });
    expect(await consumer.projectItem('prj-retry')).not.toHaveProperty('view');

    expect(await consumer.deliver(deliveryOf(event))).toEqual(noFailures);
    expect(await consumer.projectItem('prj-retry')).toMatchObject({ appliedSequence: sequenceOf(2) });
    expect(consumer.applyCalls).toHaveBeenCalledTimes(2);
  });

  it('still ignores a duplicate that arrives after its processed id was forgotten (idempotency expiry)', async () => {
    const consumer = await freshConsumer();
    const event = changeEvent({ projectId: 'prj-expired', sequence: 8, project: { v: 'first' } });
    await consumer.deliver(deliveryOf(event));

    expect(await consumer.forgetProcessedIds()).toBe(1);
    const info = vi.spyOn(consumer.logger, 'info');
    expect(await consumer.deliver(deliveryOf(event))).toEqual(noFailures);

    expect(info).toHaveBeenCalledWith('Change event consumed', expect.objectContaining({ outcome: 'stale' }));
    expect(await consumer.projectItem('prj-expired')).toMatchObject({ appliedEventId: event.id });
  });

  it('refuses an id seen before with another sequence: the same id must mean the same change', async () => {
    const consumer = await freshConsumer();
    const original = changeEvent({ projectId: 'prj-reused', sequence: 1 });
    const reused = { ...changeEvent({ projectId: 'prj-reused', sequence: 2 }).toJSON(), id: original.id };
    await consumer.deliver(deliveryOf(original));

    const second = sqsEventOf(JSON.stringify(reused));

    expect(await consumer.deliver(second)).toEqual({
      batchItemFailures: [{ itemIdentifier: second.Records[0]?.messageId }],
    });
    expect(await consumer.projectItem('prj-reused')).toMatchObject({ appliedSequence: sequenceOf(1) });
  });

  it('fails the whole invocation for an event that is not from SQS', async () => {
    const consumer = await freshConsumer();

    await expect(consumer.deliver({ Records: [{ Sns: {} }] } as unknown as SQSEvent)).rejects.toThrow(
      /Not an SQS event:\n- event\.Records\.0\.messageId: expected the SQS message id/,
    );
  });
});

describe('the change consumer configuration', () => {
  it('names each missing or invalid table name at init', () => {
    const create = (env: Record<string, string | undefined>) => () =>
      createChangeConsumerHandler({ env, dynamoDb: client, applyChange: keepLatestSnapshot });

    expect(create({ IDEMPOTENCY_TABLE_NAME: 'idempotency' })).toThrow(ConfigError);
    expect(create({ IDEMPOTENCY_TABLE_NAME: 'idempotency' })).toThrow(
      '- PROJECTS_TABLE_NAME: expected the name of the projects table',
    );
    expect(create({ IDEMPOTENCY_TABLE_NAME: 'a b', PROJECTS_TABLE_NAME: 'projects' })).toThrow(
      '- IDEMPOTENCY_TABLE_NAME: expected a DynamoDB table name',
    );
  });
});
