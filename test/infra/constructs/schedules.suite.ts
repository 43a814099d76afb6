import { App, Duration, Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { Schedules, type SchedulesProps } from '../../../infra/constructs/schedules.js';
import { parsePollerEvent } from '../../../lambdas/poller/poller-event.js';
import { selectWorkspaces } from '../../../lambdas/poller/run-selection.js';
import {
  actionsOf,
  functionDescribed,
  POLLER_DESCRIPTION,
  statementsOfRole,
  storedWorkspaceList,
  synthesizeStack,
} from '../stack-fixture.js';

const { template } = synthesizeStack();
const poller = functionDescribed(template, POLLER_DESCRIPTION);
const pollerArn = { 'Fn::GetAtt': [poller.id, 'Arn'] };
const WORKSPACES = ['acme', 'beta', 'gamma'];

interface ScheduleJson {
  readonly ScheduleExpression: string;
  readonly Target: { readonly Input: string; readonly Arn: unknown; readonly RoleArn: unknown };
}

const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
  (schedule) => schedule.Properties as ScheduleJson,
);

/** The schedules whose payload has the given mode, by the workspace their payload names. */
function schedulesOfMode(mode: string): Map<string, ScheduleJson> {
  const mine = schedules.filter((schedule) => JSON.parse(schedule.Target.Input).mode === mode);
  const byWorkspace = new Map(
    mine.map((schedule) => [JSON.parse(schedule.Target.Input).workspaces[0], schedule]),
  );
  expect(byWorkspace.size).toBe(mine.length);
  return byWorkspace;
}

/** The workspaces as the poller reads them from its state table (secret references left as placeholders). */
function pollerWorkspaces(): { name: string; secretId: string; processIds: string[] }[] {
  return storedWorkspaceList(template).workspaces;
}

describe('Schedules', () => {
  it.each([
    ['poll', 'rate(10 minutes)'],
    ['reconcile', 'rate(12 hours)'],
  ])('starts one %s per workspace, as its own invocation whose payload names the workspace', (mode, rate) => {
    const byWorkspace = schedulesOfMode(mode);

    expect([...byWorkspace.keys()].sort()).toEqual(WORKSPACES);
    for (const [workspace, schedule] of byWorkspace) {
      expect(schedule).toMatchObject({
        ScheduleExpression: rate,
        State: 'ENABLED',
        Target: { Arn: pollerArn, Input: JSON.stringify({ mode, workspaces: [workspace] }) },
      });
    }
    expect(schedules).toHaveLength(2 * WORKSPACES.length);
  });

  it('sends payloads the poller accepts, each running exactly its workspace with every one of its processes', () => {
    const configured = pollerWorkspaces();

    for (const schedule of schedules) {
      const request = parsePollerEvent(JSON.parse(schedule.Target.Input));
      const [workspace, ...others] = selectWorkspaces(configured, request);

      expect(others).toEqual([]);
      expect(workspace).toEqual(configured.find((w) => w.name === request.workspaces?.[0]));
    }
  });

  it('polls every 5 minutes and reconciles daily at 03:00 UTC by default', () => {
    const defaults = synthesizeStack({}).template;

    defaults.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ Input: '{"mode":"poll","workspaces":["example"]}' }),
    });
    defaults.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({ Input: '{"mode":"reconcile","workspaces":["example"]}' }),
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

  it('drops a poll Scheduler could not hand over before the next one is due', () => {
    for (const schedule of schedulesOfMode('poll').values()) {
      expect(schedule).toMatchObject({ Target: { RetryPolicy: { MaximumEventAgeInSeconds: 600 } } });
    }
  });

  it('invokes through a role only EventBridge Scheduler of this account can assume, allowed to invoke only the unqualified poller', () => {
    const roleArns = new Set(schedules.map((schedule) => JSON.stringify(schedule.Target.RoleArn)));
    expect(roleArns.size).toBe(1);
    const roleArn = schedules[0]?.Target.RoleArn;
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
    const statements = statementsOfRole(template, roleArn);
    expect(
      statements.filter((statement) => actionsOf(statement).some((a) => a.startsWith('lambda:'))),
    ).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: pollerArn }]);
    expect(statements.flatMap(actionsOf).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
  });

  describe('validation', () => {
    function propsIn(stack: Stack): SchedulesProps {
      const target = new LambdaFunction(stack, 'Fn', {
        runtime: Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: Code.fromInline('export const handler = () => {}'),
      });
      return { target, workspaces: ['acme'] };
    }

    it.each<[string, Partial<SchedulesProps>, RegExp]>([
      [
        'a poll interval under a minute',
        { pollInterval: Duration.seconds(30) },
        /pollInterval must be whole minutes/,
      ],
      [
        'more retries than Scheduler allows',
        { retryAttempts: 186 },
        /retryAttempts must be a whole number from 0 to 185/,
      ],
      ['no workspace', { workspaces: [] }, /at least one workspace is required/],
      ['a workspace twice', { workspaces: ['acme', 'acme'] }, /workspace names must be unique/],
    ])('refuses %s', (_, overrides, expected) => {
      const stack = new Stack(new App(), 'Test');

      expect(() => new Schedules(stack, 'Schedules', { ...propsIn(stack), ...overrides })).toThrow(expected);
    });
  });
});
