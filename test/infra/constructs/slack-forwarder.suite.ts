import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
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

const { template } = synthesizeStack();
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

/** The dead-letter queue Lambda sends the function's failed invocations to. */
function functionDeadLetterQueue(properties: Record<string, unknown>): string {
  return (properties.DeadLetterConfig as { TargetArn: { 'Fn::GetAtt': [string, string] } }).TargetArn[
    'Fn::GetAtt'
  ][0];
}

function subscriptionOf(functionId: string) {
  const subscriptions = Object.values(
    template.findResources('AWS::SNS::Subscription', {
      Properties: { Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [functionId, 'Arn'] } },
    }),
  );
  expect(subscriptions).toHaveLength(1);
  return subscriptions[0]?.Properties as Record<string, unknown>;
}

describe('SlackForwarder', () => {
  it('runs one forwarder per Slack target with the shared Lambda defaults, 256 MB, 30 s and no VPC', () => {
    for (const forwarder of [deals, ops]) {
      expect(forwarder.properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 30,
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
        SLACK_RETRY_BUDGET_SECONDS: '20',
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
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: { Ref: dealsSecretId },
      },
    ]);
    expect(secretStatements(functionStatements(template, slackForwarderDescription('ops-team')))).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: SLACK_SECRET_ARN,
      },
    ]);
    expect(functionStatements(template, slackForwarderDescription('ops-team'))).toContainEqual(
      decryptViaSecretsManager(SLACK_SECRET_KEY_ARN),
    );
  });

  it('may do nothing else: write its own logs and send to its own dead-letter queue', () => {
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
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [functionDeadLetterQueue(deals.properties), 'Arn'] },
      },
      expect.objectContaining({ Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] }),
    ]);
  });

  it('keeps a message Slack never took in one queue: the function retries twice, then both it and the subscription dead-letter there', () => {
    for (const forwarder of [deals, ops]) {
      const queueId = functionDeadLetterQueue(forwarder.properties);

      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: forwarder.id },
        MaximumRetryAttempts: 2,
      });
      expect(subscriptionOf(forwarder.id).RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      });
      expect(template.findResources('AWS::SQS::Queue')[queueId]?.Properties).toEqual({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    expect(functionDeadLetterQueue(deals.properties)).not.toEqual(functionDeadLetterQueue(ops.properties));
  });

  it("subscribes to the change topic with the target's filter as snsFilterPolicy builds it", () => {
    expect(subscriptionOf(deals.id)).toMatchObject({
      TopicArn: { Ref: changeTopicId },
      FilterPolicy: snsFilterPolicy(FILTERS.slackDeals),
    });
    expect(subscriptionOf(ops.id)).not.toHaveProperty('FilterPolicy');
  });

  it('may be invoked by the change topic only', () => {
    for (const forwarder of [deals, ops]) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [forwarder.id, 'Arn'] },
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: changeTopicId },
      });
    }
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

  describe('validation', () => {
    function propsIn(stack: Stack): SlackForwarderProps {
      return {
        topic: new Topic(stack, 'Topic'),
        name: 'deals',
        secret: { kind: 'create' },
        deadLetterQueue: new Queue(stack, 'DeadLetters'),
      };
    }

    it.each<[string, Partial<SlackForwarderProps>, RegExp]>([
      [
        'a retry budget as long as the timeout',
        { retryBudget: Duration.seconds(30) },
        /retryBudget must be whole seconds from 1 to 29/,
      ],
      [
        'a retry budget under a second',
        { retryBudget: Duration.millis(500) },
        /retryBudget must be whole seconds/,
      ],
      ['a name with spaces', { name: 'deal flow' }, /name must be 1-64 letters, digits/],
    ])('refuses %s', (_, overrides, expected) => {
      const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');

      expect(() => new SlackForwarder(stack, 'Slack', { ...propsIn(stack), ...overrides })).toThrow(expected);
    });
  });
});
