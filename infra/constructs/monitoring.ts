/**
 * Whether the notifier is healthy, at a glance: alarms on the failures that lose or delay
 * notifications, sent to an encrypted alarm topic (optionally to an email address), and a dashboard
 * with the poller's and the notification workers' metrics. Metric names come from
 * shared/observability/metric-names.ts, the list the poller emits from.
 * Layer: infrastructure.
 */
import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  METRICS_NAMESPACE,
  MetricName,
  SERVICE_NAME,
  STALENESS_CHECK_EVERY_MINUTES,
} from '../../shared/observability/metric-names.js';
import { EncryptedTopic } from './encrypted-topic.js';
import type { LabelledQueue } from './notifications.js';

const RUNBOOK = 'See the alarm runbook in docs/deploy.md.';

export interface MonitoringProps {
  readonly poller: IFunction;
  /**
   * Queues whose messages are notifications or runs that did not happen.
   * @default - none
   */
  readonly deadLetterQueues?: readonly LabelledQueue[];
  /**
   * Functions that deliver notifications (Slack and email digest workers): an error is a batch not yet delivered.
   * @default - none
   */
  readonly forwarders?: readonly LabelledFunction[];
  /**
   * Deployed webhook endpoints: an alarm while one is disabled (it answered 410 Gone).
   * @default - none
   */
  readonly webhookEndpoints?: readonly { readonly label: string; readonly disabled: IMetric }[];
  /**
   * The poll schedule's interval: the period of the run alarms.
   * @default Duration.minutes(5)
   */
  readonly pollInterval?: Duration;
  /**
   * Consecutive intervals without a fully successful run before the alarm fires.
   * @default 3
   */
  readonly missedRunsBeforeAlarm?: number;
  /**
   * How far behind now the oldest watermark may fall before the alarm fires.
   * @default Duration.hours(1)
   */
  readonly watermarkLagThreshold?: Duration;
  /**
   * Subscribed to the alarm topic (the recipient confirms by email).
   * @default - no subscription; subscribe after deploy
   */
  readonly alarmEmail?: string;
}

/** A function with a name an operator recognises in an alarm. */
export interface LabelledFunction {
  readonly label: string;
  readonly function: IFunction;
}

export class Monitoring extends Construct {
  public readonly alarmTopic: ITopic;
  public readonly alarms: readonly Alarm[];
  public readonly dashboard: Dashboard;
  public readonly dashboardUrl: string;
  private readonly pollInterval: Duration;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.pollInterval = props.pollInterval ?? Duration.minutes(5);
    const missedRuns = props.missedRunsBeforeAlarm ?? 3;
    const lagThreshold = props.watermarkLagThreshold ?? Duration.hours(1);
    const intervalMinutes = this.pollInterval.toMinutes({ integral: false });
    if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1) {
      throw new Error(`Monitoring: pollInterval must be whole minutes, got ${intervalMinutes}`);
    }
    if (!Number.isInteger(missedRuns) || missedRuns < 1 || missedRuns * intervalMinutes > 1440) {
      throw new Error(
        'Monitoring: missedRunsBeforeAlarm must be a whole number >= 1, at most one day of intervals',
      );
    }
    if (lagThreshold.toSeconds() < 2 * this.pollInterval.toSeconds()) {
      throw new Error('Monitoring: watermarkLagThreshold must be at least twice the poll interval');
    }

    const stack = Stack.of(this);
    this.alarmTopic = new EncryptedTopic(this, 'AlarmTopic', {
      displayName: `${stack.stackName} alarms`,
      servicePublishers: [
        {
          service: 'cloudwatch.amazonaws.com',
          sourceArnLike: stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      ],
    }).topic;
    if (props.alarmEmail !== undefined)
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    const period = this.pollInterval;
    const errors = props.poller.metricErrors({ period, statistic: 'Sum' });
    const throttles = props.poller.metricThrottles({ period, statistic: 'Sum' });
    // Throttling alone is expected with many workspaces and a small quota: Lambda queues and retries
    // the run. How long a run waited for its start is what tells a quota that is too small.
    const queuedAge = props.poller.metric('AsyncEventAge', { period, statistic: 'Maximum' });
    // Each workspace runs in its own invocation: the interval's worst run says whether all succeeded.
    const successfulRuns = this.notifierMetric(MetricName.SuccessfulRuns, 'Minimum');
    const failedWorkspaces = this.notifierMetric(MetricName.FailedWorkspaces, 'Sum');
    const watermarkLag = this.notifierMetric(MetricName.WatermarkLag, 'Maximum');
    const quarantined = this.notifierMetric(MetricName.QuarantinedProjects, 'Maximum');
    // Runs check every workspace's watermark at most once per container every 10 minutes (see
    // staleness-check.ts): a period of twice that, or two poll intervals, always holds a check while
    // any run executes, and holds none only when no run does.
    const oldestWatermark = this.notifierMetric(MetricName.OldestWatermarkAge, 'Maximum').with({
      period: Duration.minutes(Math.max(2 * STALENESS_CHECK_EVERY_MINUTES, 2 * intervalMinutes)),
    });
    const droppedRuns = props.poller.metric('AsyncEventsDropped', { period, statistic: 'Sum' });
    const deletionsHeld = this.notifierMetric(MetricName.DeletionsHeld, 'Maximum');
    const forwarders = (props.forwarders ?? []).map(({ label, function: fn }) => ({
      label,
      errors: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      invocations: fn.metricInvocations({ period: Duration.minutes(5), statistic: 'Sum' }),
    }));
    const deadLetters = (props.deadLetterQueues ?? []).map(({ label, queue }) => ({
      label,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
    }));

    this.alarms = [
      this.alarm('PollerErrors', {
        metric: errors,
        threshold: 1,
        description: 'A poller run failed (it threw): changes wait for the next successful run.',
      }),
      this.alarm('PollerRunsDelayed', {
        metric: queuedAge,
        threshold: this.pollInterval.toMilliseconds(),
        description:
          'Scheduled poller runs waited longer than a poll interval for Lambda to start them: the ' +
          "account's concurrency quota is too small for the workspaces (they are throttled, then retried).",
      }),
      this.alarm('WorkspaceFailures', {
        metric: failedWorkspaces,
        threshold: 1,
        description: 'A workspace failed in a poller run (credentials, access or Midaxo errors).',
      }),
      this.alarm('NoSuccessfulRun', {
        metric: successfulRuns,
        threshold: 1,
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: missedRuns,
        // No data at all means no run reported: exactly what this alarm is for.
        missingData: TreatMissingData.BREACHING,
        description: `A poller run failed (or none ran) in each of ${missedRuns} poll intervals: notifications are not flowing for a workspace.`,
      }),
      this.alarm('WatermarkLag', {
        metric: watermarkLag,
        threshold: lagThreshold.toSeconds(),
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        description: `A process's watermark is more than ${lagThreshold.toMinutes()} minutes behind: changes are late.`,
      }),
      this.alarm('StaleWorkspace', {
        metric: oldestWatermark,
        threshold: lagThreshold.toSeconds(),
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        // No check reported: no run executed at all, which leaves every workspace stale.
        missingData: TreatMissingData.BREACHING,
        description:
          `A configured workspace has had no complete run for more than ${lagThreshold.toMinutes()} minutes, ` +
          'whether or not its runs started (throttled past the event age, dropped, or failing): its ' +
          "oldest watermark, read by every workspace's runs, says so. The run log names the workspace.",
      }),
      this.alarm('PollerRunsDropped', {
        metric: droppedRuns,
        threshold: 1,
        description:
          'Lambda dropped scheduled poller runs it could not start within their event age (throttled by the ' +
          "account's concurrency quota): they are in the poller's failed-invocations queue with the reason.",
      }),
      this.alarm('QuarantinedProjects', {
        metric: quarantined,
        threshold: 1,
        description:
          'Projects are set aside (quarantined) because they cannot be processed; every other project goes on. ' +
          'See the runbook for how to find and clear them.',
      }),
      this.alarm('DeletionsHeld', {
        metric: deletionsHeld,
        threshold: 1,
        description:
          'A deletion sweep held the deletions it inferred, as too many to believe (or from an empty listing): ' +
          'nothing was published for them. Check the process in Midaxo, then confirm them as the runbook shows.',
      }),
      ...deadLetters.map(({ label, metric }, index) =>
        this.alarm(`DeadLetters${index}`, {
          metric,
          threshold: 1,
          description: `Dead-letter queue of ${label} holds messages that were not delivered.`,
        }),
      ),
      ...(props.webhookEndpoints ?? []).map(({ label, disabled }, index) =>
        this.alarm(`WebhookDisabled${index}`, {
          metric: disabled,
          threshold: 1,
          description: `The ${label} answered 410 Gone and is disabled: its events go to its dead-letter queue until it is re-enabled (docs/webhooks.md).`,
        }),
      ),
      ...forwarders.map(({ label, errors: forwarderErrors }, index) =>
        this.alarm(`ForwarderErrors${index}`, {
          metric: forwarderErrors,
          threshold: 1,
          description: `The worker of ${label} failed: its batch returns to its queue and is tried again, and goes to its dead-letter queue after a day of failures.`,
        }),
      ),
    ];
    const action = new SnsAction(this.alarmTopic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-${Aws.REGION}`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${stack.stackName}\nPoller health, Midaxo API use and notifications. ${RUNBOOK}`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms], width: 24 }),
    );
    this.dashboard.addWidgets(
      graph('Runs', [successfulRuns, failedWorkspaces, errors, throttles]),
      graph('Run duration (ms)', [
        this.notifierMetric(MetricName.RunDuration, 'Average'),
        this.notifierMetric(MetricName.RunDuration, 'Maximum'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Projects scanned', [this.notifierMetric(MetricName.ProjectsScanned, 'Sum')]),
      graph('Changes published', [
        this.notifierMetric(MetricName.ProjectsCreated, 'Sum'),
        this.notifierMetric(MetricName.ProjectsUpdated, 'Sum'),
        this.notifierMetric(MetricName.ProjectsDeleted, 'Sum'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Midaxo API requests', [
        this.notifierMetric(MetricName.ApiRequests, 'Sum'),
        this.notifierMetric(MetricName.ApiRetries, 'Sum'),
      ]),
      graph('Watermark lag (s)', [watermarkLag, oldestWatermark]),
    );
    this.dashboard.addWidgets(
      graph('Time runs waited for Lambda to start them (ms), runs dropped', [queuedAge, droppedRuns]),
      graph('Projects set aside (quarantined), deletions held', [quarantined, deletionsHeld]),
    );
    if (deadLetters.length > 0) {
      this.dashboard.addWidgets(
        graph(
          'Dead-letter queues (messages)',
          deadLetters.map(({ label, metric }) => metric.with({ label })),
          24,
        ),
      );
    }
    if (forwarders.length > 0) {
      this.dashboard.addWidgets(
        graph(
          'Notification forwarders (invocations, errors)',
          forwarders.flatMap(({ label, invocations, errors: forwarderErrors }) => [
            invocations.with({ label: `${label} invocations` }),
            forwarderErrors.with({ label: `${label} errors` }),
          ]),
          24,
        ),
      );
    }
    this.dashboardUrl =
      `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}` +
      `#dashboards/dashboard/${this.dashboard.dashboardName}`;
  }

  private notifierMetric(
    metricName: MetricName,
    statistic: 'Sum' | 'Average' | 'Minimum' | 'Maximum',
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE_NAME },
      statistic,
      period: this.pollInterval,
    });
  }

  private alarm(
    id: string,
    options: {
      metric: IMetric;
      threshold: number;
      description: string;
      comparison?: ComparisonOperator;
      evaluationPeriods?: number;
      missingData?: TreatMissingData;
    },
  ): Alarm {
    return new Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`,
      alarmDescription: `${options.description} ${RUNBOOK}`,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      treatMissingData: options.missingData ?? TreatMissingData.NOT_BREACHING,
    });
  }
}

function graph(title: string, metrics: IMetric[], width = 12): GraphWidget {
  return new GraphWidget({ title, left: metrics, width, height: 6 });
}
