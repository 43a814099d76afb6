import { App, Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { FILTER_ATTRIBUTES, filterPolicyOf, Notifications } from '../../../infra/constructs/notifications.js';
import { SUBSCRIBER_QUEUE_ARN, synthesizeStack, WEBHOOK_URL } from '../stack-fixture.js';

const { template } = synthesizeStack();

function queueProperties(logicalId: string) {
  return template.findResources('AWS::SQS::Queue')[logicalId]?.Properties;
}

describe('Notifications', () => {
  it('subscribes an email address with its filter', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'deals@example.com',
      FilterPolicy: { [FILTER_ATTRIBUTES.eventType]: ['created', 'deleted'] },
    });
  });

  it('delivers to a webhook with retries and a dead-letter queue for what still fails', () => {
    const deadLetterQueue = new Capture();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: WEBHOOK_URL,
      FilterPolicy: { [FILTER_ATTRIBUTES.processId]: ['proc-a1'] },
      DeliveryPolicy: {
        healthyRetryPolicy: Match.objectLike({ numRetries: 12, backoffFunction: 'EXPONENTIAL' }),
        requestPolicy: { headerContentType: 'application/json; charset=UTF-8' },
      },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
    });

    expect(queueProperties(deadLetterQueue.asString())).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('delivers the CloudEvents document itself (raw) to an SQS queue, with a dead-letter queue', () => {
    const deadLetterQueue = new Capture();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: SUBSCRIBER_QUEUE_ARN,
      RawMessageDelivery: true,
      FilterPolicy: { [FILTER_ATTRIBUTES.changedFields]: ['stage', 'owner'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
    });

    expect(queueProperties(deadLetterQueue.asString())).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('lets only SNS, for deliveries of the change topic, over TLS, write to a dead-letter queue', () => {
    const changeTopic = Object.entries(template.findResources('AWS::SNS::Topic')).find(
      ([, topic]) => topic.Properties.DisplayName === 'Midaxo project changes',
    )?.[0];
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
      2,
    );
  });

  it('creates no subscription when none is configured', () => {
    const bare = synthesizeStack({}).template;

    bare.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('builds a filter policy on the message attributes the publisher sets', () => {
    const policy = filterPolicyOf({
      eventTypes: ['updated'],
      processIds: ['p1', 'p2'],
      changedFields: ['stage'],
    });
    const stack = new Stack();

    expect(
      stack.resolve(
        Object.fromEntries(Object.entries(policy ?? {}).map(([key, filter]) => [key, filter.conditions])),
      ),
    ).toEqual({
      eventType: ['updated'],
      processId: ['p1', 'p2'],
      changedFields: ['stage'],
    });
    expect(filterPolicyOf(undefined)).toBeUndefined();
  });

  it('refuses the same endpoint twice', () => {
    const stack = new Stack(new App(), 'Test');
    const topic = new Topic(stack, 'Topic');
    const target = { type: 'email', address: 'a@example.com' } as const;

    expect(() => new Notifications(stack, 'Notifications', { topic, targets: [target, target] })).toThrow(
      /email target listed twice/,
    );
  });
});
