import { GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { LOCAL_REQUEST_ID, UnansweredCallError } from '../../../bench/aws/local-answer.js';
import { createSecretsManagerStandIn } from '../../../bench/aws/secrets-manager-stand-in.js';
import { createSnsStandIn } from '../../../bench/aws/sns-stand-in.js';
import { createSnsEventPublisher } from '../../../shared/adapters/sns/sns-event-publisher.js';
import { buildChangeEvent } from '../../../shared/core/build-change-event.js';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:bench-topic';

describe('SNS stand-in', () => {
  it('accepts every PublishBatch entry and keeps the message bodies until they are taken', async () => {
    const sns = createSnsStandIn();

    const output = await sns.client.send(
      new PublishBatchCommand({
        TopicArn: TOPIC_ARN,
        PublishBatchRequestEntries: [
          { Id: 'm0', Message: 'first' },
          { Id: 'm1', Message: 'second' },
        ],
      }),
    );
    const single = await sns.client.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'third' }));

    expect(output.Successful?.map((entry) => entry.Id)).toEqual(['m0', 'm1']);
    expect(output.Successful?.map((entry) => entry.MessageId)).toEqual([
      'bench-message-1',
      'bench-message-2',
    ]);
    expect(output.Failed).toEqual([]);
    expect(single.MessageId).toBe('bench-message-3');
    expect(sns.takeMessages()).toEqual(['first', 'second', 'third']);
    expect(sns.takeMessages()).toEqual([]);
  });

  it("answers with SNS's XML, which the SDK parses as it would a real answer (so its CPU is counted)", async () => {
    const sns = createSnsStandIn();

    const output = await sns.client.send(
      new PublishBatchCommand({
        TopicArn: TOPIC_ARN,
        PublishBatchRequestEntries: [{ Id: 'm0', Message: '<&>' }],
      }),
    );

    expect(output.$metadata).toMatchObject({ httpStatusCode: 200, requestId: LOCAL_REQUEST_ID });
    expect(output.Successful).toEqual([{ Id: 'm0', MessageId: 'bench-message-1' }]);
    expect(sns.takeMessages()).toEqual(['<&>']);
  });

  it('carries the real SNS publisher through a publish of more than one batch', async () => {
    const sns = createSnsStandIn();
    const publisher = createSnsEventPublisher({ client: sns.client, topicArn: TOPIC_ARN });
    const events = Array.from({ length: 23 }, (_, i) =>
      buildChangeEvent({
        kind: 'updated',
        sourceBase: 'http://127.0.0.1:1',
        processId: 'bench-process',
        projectId: `prj-${i}`,
        hash: `hash-${i}`,
        sequence: 1,
        changes: [{ path: '/stage', before: 'Screening', after: 'Closing' }],
        project: { id: `prj-${i}`, stage: 'Closing' },
        detectedAt: new Date('2031-01-01T00:00:00Z'),
      }),
    );

    await publisher.publish(events);

    expect(sns.takeMessages()).toHaveLength(23);
  });

  it('keeps no messages when told not to, where memory is measured', async () => {
    const sns = createSnsStandIn({ keepMessages: false });

    await sns.client.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'dropped' }));

    expect(sns.takeMessages()).toEqual([]);
  });

  it('fails an operation it does not model instead of sending it anywhere', async () => {
    const sns = createSnsStandIn();

    await expect(sns.client.send(new CreateTopicCommand({ Name: 'other' }))).rejects.toThrow(
      UnansweredCallError,
    );
  });
});

describe('Secrets Manager stand-in', () => {
  it('answers GetSecretValue from its map and fails for an unknown secret or operation', async () => {
    const client = createSecretsManagerStandIn({ 'bench/midaxo': '{"client_id":"a","client_secret":"b"}' });

    const found = await client.send(new GetSecretValueCommand({ SecretId: 'bench/midaxo' }));

    expect(found.SecretString).toBe('{"client_id":"a","client_secret":"b"}');
    expect(found.$metadata.requestId).toBe(LOCAL_REQUEST_ID);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'other' }))).rejects.toThrow(
      /no secret other/,
    );
    await expect(client.send(new ListSecretsCommand({}))).rejects.toThrow(UnansweredCallError);
  });
});
