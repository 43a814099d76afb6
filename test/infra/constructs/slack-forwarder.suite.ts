import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import type { Notifications } from '../../../infra/constructs/notifications.js';
import { SlackForwarder, type SlackForwarderProps } from '../../../infra/constructs/slack-forwarder.js';
import { snsFilterPolicy } from '../../../shared/notifications/filter-policy.js';
import { SERVICE_NAME } from '../../../shared/observability/metric-names.js';
import {
  decryptViaSecretsManager,
  FILTERS,
  functionDescribed,
  functionStatements,
  logicalIdWhere,
  SLACK_SECRET_ARN,
  SLACK_SECRET_KEY_ARN,
  slackForwarderDescription,
  synthesizeStack,
} from '../stack-fixture.js';

const { template, stack: fullStack } = synthesizeStack();
const deals = functionDescribed(template, slackForwarderDescription('deals'));
const ops = functionDescribed(template, slackForwarderDescription('ops-team'));
const dealsSecretId = logicalIdWhere(template, 'AWS::SecretsManager::Secret', (p) =>
  String(p.Description).includes('Slack target "deals"'),
);
const changeTopicId = logicalIdWhere(
  template,
  'AWS::SNS::Topic',
  (p) => p.DisplayName === 'Midaxo project changes',
);

/** The queue the function drains, through its event source mapping. */
function queueOf(functionId: string): string {
  const mappings = Object.values(
    template.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: { FunctionName: { Ref: functionId } },
    }),
  );
  expect(mappings).toHaveLength(1);
  const source = mappings[0]?.Properties?.EventSourceArn as { 'Fn::GetAtt': [string, string] } | undefined;
  return source?.['Fn::GetAtt'][0] ?? '';
}

function subscriptionOf(queueId: string) {
  const subscriptions = Object.values(
    template.findResources('AWS::SNS::Subscription', {
      Properties: { Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    }),
  );
  expect(subscriptions).toHaveLength(1);
  return subscriptions[0]?.Properties as Record<string, unknown>;
}

function deadLetterQueueOf(queueId: string): string {
  const redrive = template.findResources('AWS::SQS::Queue')[queueId]?.Properties.RedrivePolicy as {
    deadLetterTargetArn: { 'Fn::GetAtt': [string, string] };
  };
  return redrive.deadLetterTargetArn['Fn::GetAtt'][0];
}

describe('SlackForwarder', () => {
  it('runs one worker per Slack target with the shared Lambda defaults, 256 MB, 60 s and no VPC', () => {
    for (const forwarder of [deals, ops]) {
      expect(forwarder.properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 60,
      });
      expect(forwarder.properties).not.toHaveProperty('VpcConfig');
    }
  });

  it('names the webhook secret in its environment, never the webhook URL', () => {
    expect(deals.properties.Environment).toEqual({
      Variables: {
        NODE_OPTIONS: '--enable-source-maps --max-old-space-size=192',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        SLACK_WEBHOOK_SECRET_ID: { Ref: dealsSecretId },
      },
    });
    expect(ops.properties.Environment).toMatchObject({
      Variables: { SLACK_WEBHOOK_SECRET_ID: SLACK_SECRET_ARN },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/hooks\.slack\.com\/services\/\w+/);
  });

  it('reads only its own webhook secret, decrypting with its key only through Secrets Manager', () => {
    const secretStatements = (statements: ReturnType<typeof functionStatements>) =>
      statements.filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:'));

    expect(secretStatements(functionStatements(template, slackForwarderDescription('deals')))).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: dealsSecretId },
      },
    ]);
    expect(secretStatements(functionStatements(template, slackForwarderDescription('ops-team')))).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: SLACK_SECRET_ARN,
      },
    ]);
    expect(functionStatements(template, slackForwarderDescription('ops-team'))).toContainEqual(
      decryptViaSecretsManager(SLACK_SECRET_KEY_ARN),
    );
  });

  it('may do nothing else: write its own logs, drain its own queue and read its secret', () => {
    const statements = functionStatements(template, slackForwarderDescription('deals'));

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: {
          'Fn::GetAtt': [
            (deals.properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref,
            'Arn',
          ],
        },
      },
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue' }),
      {
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        Resource: { 'Fn::GetAtt': [queueOf(deals.id), 'Arn'] },
      },
    ]);
  });

  it('drains its own queue in batches of up to 100 gathered for 20 s, two invocations at most, reporting partial failures', () => {
    for (const forwarder of [deals, ops]) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: forwarder.id },
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 20,
        ScalingConfig: { MaximumConcurrency: 2 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    expect(queueOf(deals.id)).not.toEqual(queueOf(ops.id));
  });

  it('keeps what Slack did not take for a day in its queue, then in a dead-letter queue of its own, over TLS only', () => {
    for (const forwarder of [deals, ops]) {
      const queueId = queueOf(forwarder.id);
      const queue = template.findResources('AWS::SQS::Queue')[queueId]?.Properties ?? {};
      const { maxReceiveCount } = queue.RedrivePolicy as { maxReceiveCount: number };
      expect(maxReceiveCount * Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(25 * 3600);
      expect(queue).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 360 });
      const deadLetters = deadLetterQueueOf(queueId);
      expect(subscriptionOf(queueId).RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
      });
      expect(template.findResources('AWS::SQS::Queue')[deadLetters]?.Properties).toEqual({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      for (const id of [queueId, deadLetters]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    }
    expect(deadLetterQueueOf(queueOf(deals.id))).not.toEqual(deadLetterQueueOf(queueOf(ops.id)));
  });

  it("subscribes its queue to the change topic with raw delivery and the target's filter as snsFilterPolicy builds it", () => {
    expect(subscriptionOf(queueOf(deals.id))).toMatchObject({
      TopicArn: { Ref: changeTopicId },
      RawMessageDelivery: true,
      FilterPolicy: snsFilterPolicy(FILTERS.slackDeals),
    });
    expect(subscriptionOf(queueOf(ops.id))).not.toHaveProperty('FilterPolicy');
  });

  it('is not invoked by the topic any more: no Lambda subscription, no permission for SNS', () => {
    expect(
      template.findResources('AWS::SNS::Subscription', {
        Properties: { Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [deals.id, 'Arn'] } },
      }),
    ).toEqual({});
    expect(
      template.findResources('AWS::Lambda::Permission', {
        Properties: { FunctionName: { 'Fn::GetAtt': [deals.id, 'Arn'] } },
      }),
    ).toEqual({});
  });

  it('creates an empty, retained webhook secret when asked, and outputs its ARN for put-secret-value', () => {
    const secret = template.findResources('AWS::SecretsManager::Secret')[dealsSecretId];

    expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(secret?.Properties).not.toHaveProperty('SecretString');
    expect(secret?.Properties).not.toHaveProperty('GenerateSecretString');
    expect(String(secret?.Properties.Description)).toContain(
      '{"webhookUrl":"https://hooks.slack.com/services/..."}',
    );
    template.hasOutput('SlackSecretArnDeals', {
      Value: { Ref: dealsSecretId },
      Description: Match.stringLikeRegexp('put \\{"webhookUrl"'),
    });
    template.hasOutput('SlackSecretArnOpsTeam', { Value: SLACK_SECRET_ARN });
    template.hasOutput('SlackForwarderNameDeals', { Value: { Ref: deals.id } });
  });

  it('carries its label, the one its dead-letter queue and its alarms name it by', () => {
    const notifications = fullStack.node.findChild('Notifications') as Notifications;

    expect(notifications.slackForwarders.map(({ name, label }) => ({ name, label }))).toEqual([
      { name: 'deals', label: 'Slack target "deals"' },
      { name: 'ops-team', label: 'Slack target "ops-team"' },
    ]);
    for (const forwarder of notifications.slackForwarders) {
      expect(forwarder.delivery.labelledDeadLetterQueue.label).toBe(forwarder.label);
    }
  });

  describe('validation', () => {
    function propsIn(stack: Stack): SlackForwarderProps {
      return {
        topic: new Topic(stack, 'Topic'),
        name: 'deals',
        label: 'Slack target "deals"',
        secret: { kind: 'create' },
      };
    }

    it.each<[string, Partial<SlackForwarderProps>, RegExp]>([
      ['a name with spaces', { name: 'deal flow' }, /name must be 1-64 letters, digits/],
    ])('refuses %s', (_, overrides, expected) => {
      const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');

      expect(() => new SlackForwarder(stack, 'Slack', { ...propsIn(stack), ...overrides })).toThrow(expected);
    });
  });
});
