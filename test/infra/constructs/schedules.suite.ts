import { App, Duration, Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { Schedules } from '../../../infra/constructs/schedules.js';
import {
  functionDescribed,
  POLLER_DESCRIPTION,
  statementsOfRole,
  synthesizeStack,
} from '../stack-fixture.js';

const { template } = synthesizeStack();
const pollerId = functionDescribed(template, POLLER_DESCRIPTION).id;

function scheduleWithInput(input: string) {
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter(
    (schedule) => (schedule.Properties.Target as { Input: string }).Input === input,
  );
  expect(schedules).toHaveLength(1);
  return schedules[0]?.Properties;
}

describe('Schedules', () => {
  it('polls at the configured interval with {"mode":"poll"}', () => {
    expect(scheduleWithInput('{"mode":"poll"}')).toMatchObject({
      ScheduleExpression: 'rate(10 minutes)',
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [pollerId, 'Arn'] } },
    });
  });

  it('reconciles on the configured schedule with {"mode":"reconcile"}', () => {
    expect(scheduleWithInput('{"mode":"reconcile"}')).toMatchObject({
      ScheduleExpression: 'rate(12 hours)',
      Target: { Arn: { 'Fn::GetAtt': [pollerId, 'Arn'] } },
    });
  });

  it('polls every 5 minutes and reconciles daily at 03:00 UTC by default', () => {
    const defaults = synthesizeStack({}).template;

    defaults.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ Input: '{"mode":"poll"}' }),
    });
    defaults.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({ Input: '{"mode":"reconcile"}' }),
    });
  });

  it('retries an undelivered invocation, then parks it in an encrypted dead-letter queue', () => {
    const deadLetterQueue = new Capture();
    template.allResourcesProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: Match.anyValue() },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
      }),
    });

    expect(template.findResources('AWS::SQS::Queue')[deadLetterQueue.asString()]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('drops a poll that could not start before the next one is due', () => {
    expect(scheduleWithInput('{"mode":"poll"}')).toMatchObject({
      Target: { RetryPolicy: { MaximumEventAgeInSeconds: 600 } },
    });
  });

  it('invokes through a role only EventBridge Scheduler of this account can assume, allowed to invoke only the poller', () => {
    const roleArn = sharedScheduleRole();
    const roleId = (roleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] ?? '';

    expect(
      template.findResources('AWS::IAM::Role')[roleId]?.Properties.AssumeRolePolicyDocument,
    ).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    const invokeStatements = statementsOfRole(template, roleArn).filter((statement) =>
      String(statement.Action).startsWith('lambda:'),
    );
    expect(invokeStatements).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [
          { 'Fn::GetAtt': [pollerId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [pollerId, 'Arn'] }, ':*']] },
        ],
      },
    ]);
  });

  it.each<[string, Duration, number, RegExp]>([
    ['a poll interval under a minute', Duration.seconds(30), 3, /pollInterval must be whole minutes/],
    [
      'more retries than Scheduler allows',
      Duration.minutes(5),
      186,
      /retryAttempts must be a whole number from 0 to 185/,
    ],
  ])('refuses %s', (_, pollInterval, retryAttempts, expected) => {
    const stack = new Stack(new App(), 'Test');
    const target = new LambdaFunction(stack, 'Fn', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = () => {}'),
    });

    expect(() => new Schedules(stack, 'Schedules', { target, pollInterval, retryAttempts })).toThrow(
      expected,
    );
  });
});

/** The role both schedules invoke through. */
function sharedScheduleRole(): unknown {
  const roles = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
    (schedule) => (schedule.Properties.Target as { RoleArn: unknown }).RoleArn,
  );
  expect(new Set(roles.map((role) => JSON.stringify(role))).size).toBe(1);
  return roles[0];
}
