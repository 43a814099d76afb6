/**
 * What starts the poller: an EventBridge Scheduler schedule for polling (`{"mode":"poll"}`) and one for
 * the reconcile sweep (`{"mode":"reconcile"}`). An invocation Scheduler cannot deliver is retried, then
 * parked in a dead-letter queue the monitoring alarms on.
 * Layer: infrastructure.
 */
import { ArnFormat, CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleSpec } from '../config/notifier-config.js';

export interface SchedulesProps {
  readonly target: IFunction;
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

export class Schedules extends Construct {
  public readonly pollSchedule: Schedule;
  public readonly reconcileSchedule: Schedule;
  public readonly deadLetterQueue: Queue;
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const pollInterval = props.pollInterval ?? Duration.minutes(5);
    const retryAttempts = props.retryAttempts ?? 3;
    const intervalMinutes = pollInterval.toMinutes({ integral: false });
    if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || intervalMinutes > 1440) {
      throw new Error(`Schedules: pollInterval must be whole minutes from 1 to 1440, got ${intervalMinutes}`);
    }
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 185) {
      throw new Error(`Schedules: retryAttempts must be a whole number from 0 to 185, got ${retryAttempts}`);
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the poller schedules (EventBridge Scheduler, which cdk-nag ' +
        'does not see as a source); a DLQ of a DLQ would only move undelivered invocations again.',
    });

    // One role for both schedules, assumable only by EventBridge Scheduler for this account's default group.
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
    const targetResource = props.target.node.defaultChild;
    if (CfnElement.isCfnElement(targetResource))
      this.acknowledgeInvokeWildcard(stack.getLogicalId(targetResource));

    this.pollSchedule = new Schedule(this, 'Poll', {
      description: `Starts a Midaxo poll every ${intervalMinutes} minutes`,
      schedule: ScheduleExpression.rate(pollInterval),
      target: new LambdaInvoke(props.target, {
        input: ScheduleTargetInput.fromObject({ mode: 'poll' }),
        role: this.role,
        retryAttempts,
        // A poll that could not start before the next one is due is superseded by it.
        maxEventAge: Duration.minutes(Math.max(1, intervalMinutes)),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });

    this.reconcileSchedule = new Schedule(this, 'Reconcile', {
      description: 'Starts the Midaxo reconcile sweep',
      schedule: toExpression(props.reconcile ?? { kind: 'cron', expression: 'cron(0 3 * * ? *)' }),
      target: new LambdaInvoke(props.target, {
        input: ScheduleTargetInput.fromObject({ mode: 'reconcile' }),
        role: this.role,
        retryAttempts,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
  }

  private acknowledgeInvokeWildcard(functionLogicalId: string): void {
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason:
        'Written by LambdaInvoke (IFunction.grantInvoke): lambda:InvokeFunction on the poller function and ' +
        'its versions and aliases (ARN:*). The role can invoke no other function and do nothing else but ' +
        "send to the schedules' dead-letter queue.",
    });
  }
}

function toExpression(spec: ScheduleSpec): ScheduleExpression {
  return spec.kind === 'rate'
    ? ScheduleExpression.rate(Duration.minutes(spec.minutes))
    : ScheduleExpression.expression(spec.expression);
}
