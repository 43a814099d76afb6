import { App, Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import type { NotificationTarget } from '../../../infra/config/notifier-config.js';
import { Notifications } from '../../../infra/constructs/notifications.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import { snsFilterPolicy } from '../../../shared/notifications/filter-policy.js';
import { MESSAGE_ATTRIBUTES } from '../../../shared/notifications/message-attributes.js';
import {
  FILTERS,
  SUBSCRIBER_FUNCTION_ARN,
  SUBSCRIBER_QUEUE_ARN,
  synthesizeStack,
  WEBHOOK_URL,
} from '../stack-fixture.js';

const { template } = synthesizeStack();

function queueProperties(logicalId: string) {
  return template.findResources('AWS::SQS::Queue')[logicalId]?.Properties;
}

function changeTopicId(): string | undefined {
  return Object.entries(template.findResources('AWS::SNS::Topic')).find(
    ([, topic]) => topic.Properties.DisplayName === 'Midaxo project changes',
  )?.[0];
}

function notificationsIn(targets: readonly NotificationTarget[], env?: { account: string; region: string }) {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', { env });
  return () => new Notifications(stack, 'Notifications', { topic: new Topic(stack, 'Topic'), targets });
}

describe('Notifications', () => {
  it('subscribes an email address with the filter policy snsFilterPolicy builds for its filter', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'deals@example.com',
      FilterPolicy: snsFilterPolicy(FILTERS.email),
    });
  });

  it('delivers to a webhook with its filter policy, retries and a dead-letter queue for what still fails', () => {
    const deadLetterQueue = new Capture();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: WEBHOOK_URL,
      FilterPolicy: snsFilterPolicy(FILTERS.https),
      DeliveryPolicy: {
        healthyRetryPolicy: Match.objectLike({ numRetries: 12, backoffFunction: 'EXPONENTIAL' }),
        requestPolicy: { headerContentType: 'application/json; charset=UTF-8' },
      },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
    });

    expect(queueProperties(deadLetterQueue.asString())).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('delivers the CloudEvents document itself (raw) to an SQS queue, with its filter policy and a dead-letter queue', () => {
    const deadLetterQueue = new Capture();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: SUBSCRIBER_QUEUE_ARN,
      RawMessageDelivery: true,
      FilterPolicy: snsFilterPolicy(FILTERS.sqs),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
    });

    expect(queueProperties(deadLetterQueue.asString())).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('invokes an existing Lambda function with its filter policy and a dead-letter queue', () => {
    const deadLetterQueue = new Capture();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: SUBSCRIBER_FUNCTION_ARN,
      TopicArn: { Ref: changeTopicId() },
      FilterPolicy: snsFilterPolicy(FILTERS.lambda),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
    });

    expect(queueProperties(deadLetterQueue.asString())).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('lets the change topic, and only it, invoke the Lambda target', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Permission',
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: SUBSCRIBER_FUNCTION_ARN,
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: changeTopicId() },
      },
      1,
    );
  });

  it('refuses a Lambda target outside the account or region the stack names, which it could not let SNS invoke', () => {
    const target = { type: 'lambda', functionArn: SUBSCRIBER_FUNCTION_ARN } as const;

    expect(notificationsIn([target], { account: '444455556666', region: 'us-east-1' })).toThrow(
      /^Notifications: lambda target midaxo-changes:live: the function must be in the account and region the stack deploys to \(444455556666, us-east-1\)/,
    );
    expect(notificationsIn([target], { account: '111122223333', region: 'eu-west-1' })).toThrow(ConfigError);
    expect(notificationsIn([target], { account: '111122223333', region: 'us-east-1' })).not.toThrow();
  });

  it('lets a changedFields filter through events whose fields are unknown ("*"), as snsFilterPolicy rules', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      FilterPolicy: {
        [MESSAGE_ATTRIBUTES.eventType]: ['created', 'updated'],
        [MESSAGE_ATTRIBUTES.changedFields]: ['stage', 'owner', '*'],
      },
    });
  });

  it("lets only SNS, for deliveries of the change topic, over TLS, write to a dead-letter or a paced target's delivery queue", () => {
    const changeTopic = changeTopicId();
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: changeTopic } } },
            }),
          ]),
        },
      },
      5 + 2 + 2 * 2,
    );
  });

  it('creates no subscription when none is configured', () => {
    const bare = synthesizeStack({}).template;

    bare.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('refuses the same endpoint twice', () => {
    const target = { type: 'email', address: 'a@example.com', delivery: 'each' } as const;

    expect(notificationsIn([target, target])).toThrow(/email target listed twice/);
  });

  it('refuses the same Lambda function twice', () => {
    const target = { type: 'lambda', functionArn: SUBSCRIBER_FUNCTION_ARN } as const;

    expect(notificationsIn([target, target])).toThrow(/lambda target listed twice/);
  });

  it('refuses two Slack targets of the same name', () => {
    const target = { type: 'slack', name: 'deals', secret: { kind: 'create' } } as const;

    expect(notificationsIn([target, { ...target, name: 'Deals' }])).toThrow(
      /Slack target "Deals" listed twice/,
    );
  });

  it.each<[string, NotificationTarget, RegExp]>([
    [
      'an SQS target',
      {
        type: 'sqs',
        queueArn: SUBSCRIBER_QUEUE_ARN,
        filter: { eventTypes: ['deleted'], changedFields: ['stage'] },
      },
      /^Notifications: sqs target: filter: changedFields has no effect on deleted events/,
    ],
    [
      'a Slack target',
      {
        type: 'slack',
        name: 'deals',
        secret: { kind: 'create' },
        filter: {
          changedFields: Array.from({ length: 75 }, (_, i) => `field${i}`),
          processIds: ['p1', 'p2'],
        },
      },
      /^Notifications: slack target "deals": filter: allows 304 combinations/,
    ],
  ])(
    'turns a filter SNS would refuse on %s into a configuration error naming the target',
    (_, target, expected) => {
      let error: unknown;
      try {
        notificationsIn([target])();
      } catch (e: unknown) {
        error = e;
      }

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(expected);
    },
  );
});
