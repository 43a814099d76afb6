import { App, Duration, Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { Monitoring, type MonitoringProps } from '../../../infra/constructs/monitoring.js';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from '../../../shared/observability/metric-names.js';
import {
  functionDescribed,
  POLLER_DESCRIPTION,
  slackForwarderDescription,
  synthesizeStack,
} from '../stack-fixture.js';

const { template } = synthesizeStack();
const alarmTopicId = Object.entries(template.findResources('AWS::SNS::Topic')).find(([, topic]) =>
  String(topic.Properties.DisplayName).endsWith('alarms'),
)?.[0];
const pollerId = functionDescribed(template, POLLER_DESCRIPTION).id;
const forwarderIds = ['deals', 'ops-team'].map(
  (target) => functionDescribed(template, slackForwarderDescription(target)).id,
);
const TEN_MINUTES = 600;

function notifierMetric(metricName: string) {
  return {
    Namespace: METRICS_NAMESPACE,
    MetricName: metricName,
    Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
  };
}

/** A metric Lambda reports for the poller function. */
function pollerMetric(metricName: string) {
  return {
    Namespace: 'AWS/Lambda',
    MetricName: metricName,
    Dimensions: [{ Name: 'FunctionName', Value: { Ref: pollerId } }],
  };
}

describe('Monitoring', () => {
  it('alarms when Lambda drops scheduled runs it could not start', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...pollerMetric('AsyncEventsDropped'),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it("alarms when any workspace's oldest watermark, read by every run, is older than the configured lag, and when no run reports", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...notifierMetric(MetricName.OldestWatermarkAge),
      Statistic: 'Maximum',
      // Two poll intervals of 10 minutes: at least two checks of a container that runs.
      Period: 2 * TEN_MINUTES,
      Threshold: 90 * 60,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('alarms when a poller run fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...pollerMetric('Errors'),
      Statistic: 'Sum',
      Period: TEN_MINUTES,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when throttling delays runs by a poll interval, not on every throttle Lambda retries', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...pollerMetric('AsyncEventAge'),
      Statistic: 'Maximum',
      Period: TEN_MINUTES,
      Threshold: TEN_MINUTES * 1000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'Throttles' }, 0);
  });

  it('alarms when a workspace fails within a run', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...notifierMetric(MetricName.FailedWorkspaces),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms after N poll intervals each with a failed run (of any workspace), counting silence as failure', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...notifierMetric(MetricName.SuccessfulRuns),
      Statistic: 'Minimum',
      Period: TEN_MINUTES,
      EvaluationPeriods: 4,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('alarms when the oldest watermark falls further behind than configured', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...notifierMetric(MetricName.WatermarkLag),
      Statistic: 'Maximum',
      Threshold: 90 * 60,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms when a deletion sweep holds the deletions it inferred, pointing to the runbook', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...notifierMetric(MetricName.DeletionsHeld),
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmDescription: Match.stringLikeRegexp('confirm them as the runbook shows.*docs/deploy.md'),
    });
  });

  it('alarms when a Slack forwarder fails to post, for each Slack target', () => {
    for (const forwarderId of forwarderIds) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: forwarderId } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmDescription: Match.stringLikeRegexp('Slack target'),
      });
    }
  });

  it("alarms on every dead-letter queue: the schedules, the poller's failed runs and each HTTPS, SQS, Lambda, Slack or email digest target", () => {
    const queues = new Capture();
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queues, 'QueueName'] } }],
        Threshold: 1,
      },
      7 + 2,
    );
    const alarmed = [queues.asString()];
    while (queues.next()) alarmed.push(queues.asString());

    // Every queue that receives no redrive of its own is a dead-letter queue; a paced target's delivery queue redrives.
    const deadLetterQueues = Object.entries(template.findResources('AWS::SQS::Queue'))
      .filter(([, queue]) => queue.Properties?.RedrivePolicy === undefined)
      .map(([id]) => id);
    expect(alarmed.sort()).toEqual(deadLetterQueues.sort());
  });

  it('sends every alarm, and its recovery, to the encrypted alarm topic', () => {
    expect(alarmTopicId).toBeDefined();
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: alarmTopicId }],
      OKActions: [{ Ref: alarmTopicId }],
      AlarmDescription: Match.stringLikeRegexp('runbook in docs/deploy\\.md'),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: alarmTopicId },
    });
  });

  it('shows the poller metrics, the Slack forwarders and the dead-letter queues on a dashboard', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );

    for (const metricName of Object.values(MetricName)) expect(body).toContain(`\\"${metricName}\\"`);
    expect(body).toContain(METRICS_NAMESPACE);
    expect(body).toContain('Alarms');
    for (const forwarderId of forwarderIds) expect(body).toContain(`{"Ref":"${forwarderId}"}`);
    expect(body).toMatch(/Slack target \W+deals\W+ errors/);
    expect(body).toContain('ApproximateNumberOfMessagesVisible');
  });

  describe('validation', () => {
    function propsIn(stack: Stack): MonitoringProps {
      const poller = new LambdaFunction(stack, 'Fn', {
        runtime: Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: Code.fromInline('export const handler = () => {}'),
      });
      return { poller };
    }

    it.each<[string, Partial<MonitoringProps>, RegExp]>([
      [
        'a poll interval in seconds',
        { pollInterval: Duration.seconds(90) },
        /pollInterval must be whole minutes/,
      ],
      ['zero missed runs', { missedRunsBeforeAlarm: 0 }, /missedRunsBeforeAlarm must be a whole number >= 1/],
      [
        'a lag threshold a healthy run exceeds',
        { watermarkLagThreshold: Duration.minutes(6) },
        /watermarkLagThreshold must be at least twice the poll interval/,
      ],
    ])('refuses %s', (_, overrides, expected) => {
      const stack = new Stack(new App(), 'Test');

      expect(() => new Monitoring(stack, 'Monitoring', { ...propsIn(stack), ...overrides })).toThrow(
        expected,
      );
    });
  });
});
