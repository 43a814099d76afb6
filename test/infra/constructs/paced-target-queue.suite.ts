import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import {
  PacedTargetQueue,
  type PacedTargetQueueProps,
} from '../../../infra/constructs/paced-target-queue.js';
import { subscriptionFilterPolicy } from '../../../infra/constructs/subscription-filter-policy.js';
import { snsFilterPolicy } from '../../../shared/notifications/filter-policy.js';

const FILTER = { eventTypes: ['updated'], changedFields: ['stage'] } as const;

function build(props: Partial<PacedTargetQueueProps> = {}, workerTimeout = Duration.seconds(60)) {
  const stack = new Stack(new App(), 'Paced');
  const topic = new Topic(stack, 'Topic');
  const worker = new LambdaFunction(stack, 'Worker', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = async () => ({ batchItemFailures: [] });'),
    timeout: workerTimeout,
  });
  const paced = new PacedTargetQueue(stack, 'Target', {
    topic,
    label: 'Slack target "deals"',
    worker,
    filterPolicy: subscriptionFilterPolicy(FILTER),
    ...props,
  });
  return { stack, paced, template: Template.fromStack(stack) };
}

function queues(template: Template) {
  return Object.entries(template.findResources('AWS::SQS::Queue')).map(([id, resource]) => ({
    id,
    properties: resource.Properties as Record<string, unknown>,
  }));
}

describe('PacedTargetQueue', () => {
  const { template, paced, stack } = build();
  const queueId = stack.getLogicalId(paced.queue.node.defaultChild as never);
  const deadLetterId = stack.getLogicalId(paced.deadLetterQueue.node.defaultChild as never);

  it('subscribes its queue to the topic with raw delivery, the target filter and the dead-letter queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      RawMessageDelivery: true,
      FilterPolicy: snsFilterPolicy(FILTER),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] } },
    });
  });

  it('keeps messages through a day-long outage: receives × visibility cover 25 h, retention outlasts them', () => {
    const queue = queues(template).find(({ id }) => id === queueId)?.properties;
    const redrive = queue?.RedrivePolicy as { maxReceiveCount: number };
    const visibility = Number(queue?.VisibilityTimeout);

    expect(visibility).toBe(360);
    expect(redrive.maxReceiveCount * visibility).toBeGreaterThanOrEqual(25 * 3600);
    expect(Number(queue?.MessageRetentionPeriod)).toBeGreaterThan(redrive.maxReceiveCount * visibility);
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] } },
    });
    const deadLetters = queues(template).find(({ id }) => id === deadLetterId)?.properties;
    expect(deadLetters).toMatchObject({ MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true });
  });

  it('drains through a mapping with a batching window, bounded concurrency and partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('hands Monitoring its dead-letter queue under the target label', () => {
    expect(paced.labelledDeadLetterQueue).toEqual({
      label: 'Slack target "deals"',
      queue: paced.deadLetterQueue,
    });
  });

  it('takes the sizes a webhook target sets: 4 days retention, batches of 10, 5 at once', () => {
    const { template: webhook } = build({
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(1),
      maxConcurrency: 5,
      retentionPeriod: Duration.days(4),
    });
    webhook.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    webhook.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 4 * 86_400 });
  });

  it('keeps its dead-letter queue under the same logical id, TLS only, for as long as told', () => {
    const kept = build({ deadLetterRetention: Duration.days(10) });
    const keptId = kept.stack.getLogicalId(kept.paced.deadLetterQueue.node.defaultChild as never);

    // A new logical id would replace the queue on deploy and drop the messages it holds.
    expect(keptId).toMatch(/^TargetDeadLetters[0-9A-F]{8}$/);
    expect(queues(kept.template).find(({ id }) => id === keptId)?.properties).toMatchObject({
      MessageRetentionPeriod: 10 * 86_400,
      SqsManagedSseEnabled: true,
    });
    kept.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: keptId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it.each([
    [{ maxReceiveCount: 10 }, /must cover the outage tolerance \(24 h\)/],
    [{ retentionPeriod: Duration.hours(12) }, /retentionPeriod must be longer than/],
    [{ maxConcurrency: 1 }, /maxConcurrency must be a whole number from 2/],
    [{ maxBatchingWindow: Duration.minutes(6) }, /maxBatchingWindow must be at most 5 minutes/],
    [
      { batchSize: 50, maxBatchingWindow: Duration.seconds(0) },
      /batchSize above 10 needs a maxBatchingWindow/,
    ],
    [{ visibilityTimeout: Duration.seconds(30) }, /at least the worker's timeout/],
    [{ deadLetterRetention: Duration.days(4) }, /deadLetterRetention must be longer than retentionPeriod/],
  ])('refuses %o with a message that says what to change', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
