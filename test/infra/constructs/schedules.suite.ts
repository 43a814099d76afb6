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
  manyWorkspaces,
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

/** The minutes of the hour a `cron(<minutes> ...)` expression starts at: `m`, or `m/step`. */
function cronMinutes(expression: string): number[] {
  const field = /^cron\((\S+) /.exec(expression)?.[1] ?? '';
  const [start, step] = field.split('/').map(Number);
  if (start === undefined || Number.isNaN(start)) throw new Error(`not a minute field: ${expression}`);
  if (step === undefined) return [start];
  return Array.from({ length: Math.ceil((60 - start) / step) }, (_, i) => start + i * step);
}

/** The workspaces as the poller reads them from its state table (secret references left as placeholders). */
function pollerWorkspaces(): { name: string; secretId: string; processIds: string[] }[] {
  return storedWorkspaceList(template).workspaces;
}

describe('Schedules', () => {
  it.each([
    ['poll', /^cron\(\d\/10 \* \* \* \? \*\)$/, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 1 }],
    ['reconcile', /^rate\(720 minutes\)$/, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 60 }],
  ])(
    'starts one %s per workspace, as its own invocation whose payload names the workspace',
    (mode, expression, window) => {
      const byWorkspace = schedulesOfMode(mode);

      expect([...byWorkspace.keys()].sort()).toEqual(WORKSPACES);
      for (const [workspace, schedule] of byWorkspace) {
        expect(schedule.ScheduleExpression).toMatch(expression);
        expect(schedule).toMatchObject({
          State: 'ENABLED',
          FlexibleTimeWindow: window,
          Target: { Arn: pollerArn, Input: JSON.stringify({ mode, workspaces: [workspace] }) },
        });
      }
      expect(schedules).toHaveLength(2 * WORKSPACES.length);
    },
  );

  it('spreads 50 workspaces over the poll interval, and their sweeps over the hour away from their own polls', () => {
    const spread = synthesizeStack({ workspaces: manyWorkspaces(50), pollIntervalMinutes: 5 }).template;
    const all = Object.values(spread.findResources('AWS::Scheduler::Schedule')).map(
      (schedule) => schedule.Properties as ScheduleJson & { FlexibleTimeWindow: unknown },
    );
    const minutesOf = (mode: string) =>
      new Map(
        all
          .filter((schedule) => JSON.parse(schedule.Target.Input).mode === mode)
          .map((schedule) => [
            JSON.parse(schedule.Target.Input).workspaces[0],
            cronMinutes(schedule.ScheduleExpression),
          ]),
      );
    const polls = minutesOf('poll');
    const sweeps = minutesOf('reconcile');

    // Each workspace polls every 5 minutes; no minute of the interval starts more than a fifth plus a margin.
    const startsPerMinute = new Map<number, number>();
    for (const minutes of polls.values()) {
      expect(minutes).toHaveLength(12);
      const first = minutes[0] ?? -1;
      startsPerMinute.set(first, (startsPerMinute.get(first) ?? 0) + 1);
    }
    expect(startsPerMinute.size).toBe(5);
    expect(Math.max(...startsPerMinute.values())).toBeLessThanOrEqual(16);
    // The sweeps keep the configured hour (03:00 UTC), each at a minute none of its polls starts at.
    for (const [workspace, [minute, ...others]] of sweeps) {
      expect(others).toEqual([]);
      expect(polls.get(workspace)).not.toContain(minute);
    }
    expect(new Set([...sweeps.values()].map(([minute]) => minute)).size).toBeGreaterThan(20);
    for (const schedule of all.filter((s) => JSON.parse(s.Target.Input).mode === 'reconcile')) {
      expect(schedule.ScheduleExpression).toMatch(/^cron\(\d{1,2} 3 \* \* \? \*\)$/);
      expect(schedule.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    }
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

  it('polls every 5 minutes and reconciles daily within 03:00-03:59 UTC by default', () => {
    const defaults = synthesizeStack({}).template;

    defaults.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: Match.stringLikeRegexp('^cron\\(\\d/5 \\* \\* \\* \\? \\*\\)$'),
      Target: Match.objectLike({ Input: '{"mode":"poll","workspaces":["example"]}' }),
    });
    defaults.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: Match.stringLikeRegexp('^cron\\(\\d{1,2} 3 \\* \\* \\? \\*\\)$'),
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
