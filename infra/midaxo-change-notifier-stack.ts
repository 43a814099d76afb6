/**
 * The whole notifier in one stack: state table, change topic, workspace secrets, poller, schedules,
 * subscriptions (Slack forwarders included) and monitoring, wired from one validated configuration.
 * Layer: infrastructure.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { endpointOverridesOf } from '../shared/config/workspace-list.js';
import { type NotifierConfig, topicEmailTextOf } from './config/notifier-config.js';
import { EncryptedTopic } from './constructs/encrypted-topic.js';
import { Monitoring } from './constructs/monitoring.js';
import { Notifications } from './constructs/notifications.js';
import { Poller } from './constructs/poller.js';
import { Schedules } from './constructs/schedules.js';
import { StateTable } from './constructs/state-table.js';
import { WorkspaceSecrets } from './constructs/workspace-secrets.js';

export interface MidaxoChangeNotifierStackProps extends StackProps {
  readonly config: NotifierConfig;
  /**
   * The poller handler's source file.
   * @default lambdas/poller/handler.ts of this repository
   */
  readonly pollerEntry?: string;
}

export class MidaxoChangeNotifierStack extends Stack {
  constructor(scope: Construct, id: string, props: MidaxoChangeNotifierStackProps) {
    super(scope, id, props);
    const { config } = props;
    const pollInterval = Duration.minutes(config.pollIntervalMinutes);

    const state = new StateTable(this, 'State');
    const changes = new EncryptedTopic(this, 'Changes', { displayName: 'Midaxo project changes' });
    const secrets = new WorkspaceSecrets(this, 'WorkspaceSecrets', { workspaces: config.workspaces });

    const poller = new Poller(this, 'Poller', {
      table: state.table,
      topic: changes.topic,
      workspaces: secrets.workspaces.map((workspace, index) => ({
        ...workspace,
        ...endpointOverridesOf(config.workspaces[index] ?? {}),
      })),
      processConcurrency: config.processConcurrency,
      midaxo: {
        instance: config.instance,
        apiUrl: config.apiUrl,
        authUrl: config.authUrl,
        audience: config.audience,
      },
      ignoredFields: config.ignoredFields,
      publishBaseline: config.publishBaseline,
      emailText: topicEmailTextOf(config),
      pageSize: config.pageSize,
      overlapSeconds: config.overlapSeconds,
      deletionGuard: { maxDeletions: config.maxDeletions, maxDeletionsPercent: config.maxDeletionsPercent },
      eventRetentionDays: config.eventRetentionDays,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays as RetentionDays,
      entry: props.pollerEntry,
    });

    const schedules = new Schedules(this, 'Schedules', {
      target: poller.function,
      workspaces: config.workspaces.map((workspace) => workspace.name),
      pollInterval,
      reconcile: config.reconcileSchedule,
    });

    const notifications = new Notifications(this, 'Notifications', {
      topic: changes.topic,
      targets: config.notifications,
      stateTable: state.table,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays as RetentionDays,
    });

    poller.allowReplayTo(
      notifications.webhookEndpoints.map((endpoint) => ({
        name: endpoint.name,
        queue: endpoint.delivery.queue,
      })),
    );

    const monitoring = new Monitoring(this, 'Monitoring', {
      poller: poller.function,
      deadLetterQueues: [
        { label: 'the poller schedules', queue: schedules.deadLetterQueue },
        { label: 'the poller (runs Lambda gave up on)', queue: poller.failedInvocations },
        ...notifications.deadLetterQueues,
      ],
      forwarders: [...notifications.slackForwarders, ...notifications.emailDigests],
      webhookEndpoints: notifications.webhookEndpoints.map(({ label, disabledMetric }) => ({
        label,
        disabled: disabledMetric,
      })),
      pollInterval,
      missedRunsBeforeAlarm: config.missedRunsBeforeAlarm,
      watermarkLagThreshold: Duration.minutes(config.watermarkLagAlarmMinutes),
      alarmEmail: config.alarmEmail,
    });

    new CfnOutput(this, 'TopicArn', {
      description: 'Subscribe to this SNS topic to receive Midaxo change events',
      value: changes.topic.topicArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'The notifier alarms publish here',
      value: monitoring.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'StateTableName', {
      description: 'Poller state (watermarks, hashes)',
      value: state.table.tableName,
    });
    new CfnOutput(this, 'DashboardUrl', { description: 'Health dashboard', value: monitoring.dashboardUrl });
    new CfnOutput(this, 'PollerFunctionName', {
      description: 'Invoke with {"mode":"poll"} to poll now; its logs are in its log group',
      value: poller.function.functionName,
    });
    for (const workspace of secrets.workspaces) {
      new CfnOutput(this, `SecretArn${outputSuffix(workspace.name)}`, {
        description: workspace.created
          ? `Empty secret for workspace "${workspace.name}": put {"client_id","client_secret"} into it`
          : `Secret of workspace "${workspace.name}"${workspace.secretId.startsWith('arn:') ? '' : ' (ARN without its random suffix)'}`,
        value: workspace.secret.secretArn,
      });
    }
    for (const forwarder of notifications.slackForwarders) {
      const { name } = forwarder;
      new CfnOutput(this, `SlackSecretArn${outputSuffix(name)}`, {
        description: forwarder.webhookSecret.created
          ? `Empty secret for Slack target "${name}": put {"webhookUrl":"https://hooks.slack.com/services/..."} into it`
          : `Webhook secret of Slack target "${name}"${forwarder.webhookSecret.secretId.startsWith('arn:') ? '' : ' (ARN without its random suffix)'}`,
        value: forwarder.webhookSecret.secret.secretArn,
      });
      new CfnOutput(this, `SlackForwarderName${outputSuffix(name)}`, {
        description: `Forwarder of Slack target "${name}": re-drive its dead-letter queue by invoking it`,
        value: forwarder.function.functionName,
      });
    }
    for (const endpoint of notifications.webhookEndpoints) {
      new CfnOutput(this, `WebhookSecretArn${outputSuffix(endpoint.name)}`, {
        description: `Signing key of webhook target "${endpoint.name}": its "current" (whsec_...) is what the receiver verifies with (docs/webhooks.md)`,
        value: endpoint.signingSecret.secret.secretArn,
      });
      new CfnOutput(this, `WebhookQueueArn${outputSuffix(endpoint.name)}`, {
        description: `Delivery queue of webhook target "${endpoint.name}": redrive its dead-letter queue into it`,
        value: endpoint.delivery.queue.queueArn,
      });
      new CfnOutput(this, `WebhookDeadLetterQueueArn${outputSuffix(endpoint.name)}`, {
        description: `Dead-letter queue of webhook target "${endpoint.name}"`,
        value: endpoint.delivery.deadLetterQueue.queueArn,
      });
    }
  }
}

/** Output ids are alphanumeric: `acme-corp_2` becomes `AcmeCorp2`. */
function outputSuffix(name: string): string {
  return name
    .split(/[-_]/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
