/**
 * What starts the poller: per workspace, an EventBridge Scheduler schedule for polling
 * (`{"mode":"poll","workspaces":["acme"]}`) and one for the reconcile sweep (`{"mode":"reconcile",...}`),
 * their start times spread over the interval and the hour (schedule-spread.ts).
 * Each workspace runs in its own invocation, so a slow or failing workspace delays no other and Lambda's
 * concurrency does the scaling out.
 *
 * Scheduler invokes Lambda asynchronously: an invocation Lambda throttles (the account's concurrency
 * quota is used up) waits in the function's event queue and is retried there (see the poller's
 * `maxEventAge`). What Scheduler itself cannot hand to Lambda is retried with backoff, then parked in a
 * dead-letter queue the monitoring alarms on.
 * Layer: infrastructure.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleSpec } from '../config/notifier-config.js';
import { createHoldingQueue } from './holding-queue.js';
import { type SpreadSchedule, spreadPoll, spreadReconcile } from './schedule-spread.js';

export interface SchedulesProps {
  readonly target: IFunction;
  /** The configured workspace names: each gets its own poll and reconcile schedule. */
  readonly workspaces: readonly string[];
  /**
   * Time between two polls.
   * @default Duration.minutes(5)
   */
  readonly pollInterval?: Duration;
  /**
   * When the reconcile sweep runs.
   * @default - daily at 03:00 UTC
   */
  readonly reconcile?: ScheduleSpec;
  /**
   * Delivery attempts after the first one fails.
   * @default 3
   */
  readonly retryAttempts?: number;
}

/** The schedules of one workspace. */
export interface WorkspaceSchedules {
  readonly workspace: string;
  readonly poll: Schedule;
  readonly reconcile: Schedule;
}

export class Schedules extends Construct {
  public readonly workspaces: readonly WorkspaceSchedules[];
  public readonly deadLetterQueue: Queue;
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const pollInterval = props.pollInterval ?? Duration.minutes(5);
    const retryAttempts = props.retryAttempts ?? 3;
    const intervalMinutes = pollInterval.toMinutes({ integral: false });
    validate(props.workspaces, intervalMinutes, retryAttempts);

    this.deadLetterQueue = createHoldingQueue(
      this,
      'DeadLetterQueue',
      'This queue is the dead-letter queue of the poller schedules (EventBridge Scheduler, which cdk-nag ' +
        'does not see as a source); a DLQ of a DLQ would only move undelivered invocations again.',
    );

    // One role for every schedule, assumable only by EventBridge Scheduler for this account's default group.
    const stack = Stack.of(this);
    this.role = new Role(this, 'InvokeRole', {
      description: 'Lets EventBridge Scheduler start the Midaxo change notifier poller',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
    });

    const invoke = (payload: Record<string, unknown>, maxEventAge: Duration) =>
      new UnqualifiedLambdaInvoke(props.target, {
        input: ScheduleTargetInput.fromObject(payload),
        role: this.role,
        retryAttempts,
        maxEventAge,
        deadLetterQueue: this.deadLetterQueue,
      });
    const reconcileSpec = props.reconcile ?? { kind: 'cron', expression: 'cron(0 3 * * ? *)' };

    this.workspaces = props.workspaces.map((workspace) => {
      const schedules = new Construct(this, `Workspace-${workspace}`);
      const poll = new Schedule(schedules, 'Poll', {
        description: `Starts a Midaxo poll of workspace ${workspace} every ${intervalMinutes} minutes`,
        ...timing(spreadPoll(workspace, intervalMinutes)),
        // A poll Scheduler could not hand over before the next one is due is superseded by it.
        target: invoke(
          { mode: 'poll', workspaces: [workspace] },
          Duration.minutes(Math.max(1, intervalMinutes)),
        ),
      });
      const reconcile = new Schedule(schedules, 'Reconcile', {
        description: `Starts the Midaxo reconcile sweep of workspace ${workspace}`,
        ...timing(spreadReconcile(workspace, reconcileSpec, intervalMinutes)),
        target: invoke({ mode: 'reconcile', workspaces: [workspace] }, Duration.hours(1)),
      });
      return { workspace, poll, reconcile };
    });
  }
}

/**
 * Invokes the function itself, never a version or alias: `LambdaInvoke` grants `lambda:InvokeFunction`
 * on `<function ARN>:*` too (`IFunction.grantInvoke`), which this stack has no use for.
 */
class UnqualifiedLambdaInvoke extends ScheduleTargetBase {
  constructor(
    private readonly fn: IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(props, fn.functionArn);
  }

  protected addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }),
    );
  }
}

function validate(workspaces: readonly string[], intervalMinutes: number, retryAttempts: number): void {
  if (workspaces.length === 0) throw new Error('Schedules: at least one workspace is required');
  if (new Set(workspaces).size !== workspaces.length)
    throw new Error('Schedules: workspace names must be unique');
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || intervalMinutes > 1440) {
    throw new Error(`Schedules: pollInterval must be whole minutes from 1 to 1440, got ${intervalMinutes}`);
  }
  if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 185) {
    throw new Error(`Schedules: retryAttempts must be a whole number from 0 to 185, got ${retryAttempts}`);
  }
}

function timing({ expression, windowMinutes }: SpreadSchedule) {
  return {
    schedule: ScheduleExpression.expression(expression),
    timeWindow: windowMinutes > 0 ? TimeWindow.flexible(Duration.minutes(windowMinutes)) : TimeWindow.off(),
  };
}
