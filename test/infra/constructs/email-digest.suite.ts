import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { EmailDigest, emailDigestDescription } from '../../../infra/constructs/email-digest.js';
import { snsFilterPolicy } from '../../../shared/notifications/filter-policy.js';
import { SERVICE_NAME } from '../../../shared/observability/metric-names.js';
import {
  FILTERS,
  functionDescribed,
  functionStatements,
  logicalIdWhere,
  synthesizeStack,
} from '../stack-fixture.js';

const { template } = synthesizeStack();
const partners = functionDescribed(template, emailDigestDescription('partners@example.com'));
const board = functionDescribed(template, emailDigestDescription('board@example.com'));
const changeTopicId = logicalIdWhere(
  template,
  'AWS::SNS::Topic',
  (p) => p.DisplayName === 'Midaxo project changes',
);

function mappingOf(functionId: string) {
  const mappings = Object.values(
    template.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: { FunctionName: { Ref: functionId } },
    }),
  );
  expect(mappings).toHaveLength(1);
  return mappings[0]?.Properties as Record<string, unknown>;
}

function queueOf(functionId: string): string {
  return (mappingOf(functionId).EventSourceArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/** The topic the worker publishes to, from its environment. */
function emailTopicOf(fn: { properties: Record<string, unknown> }): string {
  const variables = (fn.properties.Environment as { Variables: Record<string, { Ref: string }> }).Variables;
  return variables.DIGEST_TOPIC_ARN?.Ref ?? '';
}

function subscriptionsOf(topicId: string) {
  return Object.values(
    template.findResources('AWS::SNS::Subscription', { Properties: { TopicArn: { Ref: topicId } } }),
  ).map((subscription) => subscription.Properties);
}

describe('EmailDigest', () => {
  it('runs one worker per digest target with the shared Lambda defaults, naming only its own topic', () => {
    for (const worker of [partners, board]) {
      expect(worker.properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: 30,
      });
      expect(worker.properties.Environment).toEqual({
        Variables: {
          NODE_OPTIONS: expect.any(String),
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_LOG_LEVEL: 'INFO',
          DIGEST_TOPIC_ARN: { Ref: emailTopicOf(worker) },
        },
      });
    }
    expect(emailTopicOf(partners)).not.toEqual(emailTopicOf(board));
  });

  it("gives each target a topic of its own, encrypted, TLS only, whose only subscription is the target's address", () => {
    for (const [worker, address] of [
      [partners, 'partners@example.com'],
      [board, 'board@example.com'],
    ] as const) {
      const topicId = emailTopicOf(worker);
      const topic = template.findResources('AWS::SNS::Topic')[topicId]?.Properties ?? {};
      expect(topic).toMatchObject({
        DisplayName: 'Midaxo change digest',
        KmsMasterKeyId: expect.anything(),
        SignatureVersion: '2',
      });
      expect(subscriptionsOf(topicId)).toEqual([
        { Protocol: 'email', Endpoint: address, TopicArn: { Ref: topicId } },
      ]);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('does not subscribe a digest address to the change topic itself', () => {
    for (const address of ['partners@example.com', 'board@example.com']) {
      expect(
        template.findResources('AWS::SNS::Subscription', {
          Properties: { Endpoint: address, TopicArn: { Ref: changeTopicId } },
        }),
      ).toEqual({});
    }
  });

  it('may publish to its own topic only, encrypting with its key, and drain its own queue', () => {
    const statements = functionStatements(template, emailDigestDescription('partners@example.com'));
    const topicId = emailTopicOf(partners);
    const topic = template.findResources('AWS::SNS::Topic')[topicId]?.Properties ?? {};
    const keyId = (topic.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

    expect(statements).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topicId } },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
        Resource: { 'Fn::GetAtt': [queueOf(partners.id), 'Arn'] },
      }),
    ]);
  });

  it('gathers a batch for the digest interval (default 5 minutes), up to 10,000 events, two invocations at most', () => {
    expect(mappingOf(partners.id)).toMatchObject({
      BatchSize: 10_000,
      MaximumBatchingWindowInSeconds: 120,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(mappingOf(board.id)).toMatchObject({ MaximumBatchingWindowInSeconds: 300 });
  });

  it("subscribes its queue to the change topic with raw delivery, the target's filter, and a dead-letter queue", () => {
    const queueId = queueOf(partners.id);
    const [subscription] = Object.values(
      template.findResources('AWS::SNS::Subscription', {
        Properties: { Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      }),
    ).map((found) => found.Properties);
    const queue = template.findResources('AWS::SQS::Queue')[queueId]?.Properties ?? {};
    const deadLetters = (queue.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string] } })
      .deadLetterTargetArn['Fn::GetAtt'][0];

    expect(subscription).toMatchObject({
      TopicArn: { Ref: changeTopicId },
      RawMessageDelivery: true,
      FilterPolicy: snsFilterPolicy(FILTERS.emailDigest),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] } },
    });
    const { maxReceiveCount } = queue.RedrivePolicy as { maxReceiveCount: number };
    expect(maxReceiveCount * Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(25 * 3600);
    expect(queue).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 180 });
  });

  it('alarms on its dead-letter queue and on its worker failing, naming the address', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Email digest to partners@example\\.com'),
      Namespace: 'AWS/SQS',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Email digest to board@example\\.com'),
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: board.id } }],
    });
  });

  it.each([0, 6, 1.5])('refuses a digest interval of %s minutes', (digestMinutes) => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
    const build = () =>
      new EmailDigest(stack, `Digest${String(digestMinutes).replace('.', '')}`, {
        topic: new Topic(stack, `Topic${String(digestMinutes).replace('.', '')}`),
        address: 'a@example.com',
        digestMinutes,
        label: 'Email digest to a@example.com',
      });

    expect(build).toThrow(/digestMinutes must be a whole number from 1 to 5/);
  });
});
