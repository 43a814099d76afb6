import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SIGNING_KEY_TYPE } from '../../../infra/constructs/webhook-key-generator.js';
import { snsFilterPolicy } from '../../../shared/notifications/filter-policy.js';
import {
  FULL_CONFIG,
  functionDescribed,
  logicalIdWhere,
  statementsOfRole,
  synthesizeStack,
} from '../stack-fixture.js';
import { CRM_FILTER, WEBHOOK_TARGETS } from '../webhook-targets.js';

describe('WebhookEndpoint', () => {
  const { stack, template } = synthesizeStack({
    ...FULL_CONFIG,
    notifications: [...FULL_CONFIG.notifications, ...WEBHOOK_TARGETS],
  });
  const crm = functionDescribed(template, 'Delivers Midaxo change events to the webhook target "crm"');
  const erp = functionDescribed(template, 'Delivers Midaxo change events to the webhook target "erp"');
  const env = (fn: typeof crm) =>
    (fn.properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const queueIdOf = (fn: typeof crm) => (env(fn).QUEUE_URL as { Ref: string }).Ref;
  const deadLetterIdOf = (fn: typeof crm) => (env(fn).DEAD_LETTER_QUEUE_URL as { Ref: string }).Ref;

  it('gives each endpoint its own queue, kept 4 days, with a dead-letter queue kept 14 days', () => {
    expect(queueIdOf(crm)).not.toBe(queueIdOf(erp));
    for (const fn of [crm, erp]) {
      const queue = template.toJSON().Resources[queueIdOf(fn)].Properties;
      expect(queue.MessageRetentionPeriod).toBe(4 * 86_400);
      expect(queue.VisibilityTimeout).toBe(300);
      expect(queue.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterIdOf(fn), 'Arn'] },
        maxReceiveCount: 1000,
      });
      expect(template.toJSON().Resources[deadLetterIdOf(fn)].Properties.MessageRetentionPeriod).toBe(
        14 * 86_400,
      );
    }
  });

  it("subscribes each queue to the change topic with raw delivery and the target's filter", () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: { 'Fn::GetAtt': [queueIdOf(crm), 'Arn'] },
      RawMessageDelivery: true,
      FilterPolicy: snsFilterPolicy(CRM_FILTER),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: { 'Fn::GetAtt': [queueIdOf(erp), 'Arn'] },
      FilterPolicy: Match.absent(),
    });
  });

  it("drains each queue with the endpoint's worker, two at a time, reporting batch item failures", () => {
    for (const fn of [crm, erp]) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fn.id },
        EventSourceArn: { 'Fn::GetAtt': [queueIdOf(fn), 'Arn'] },
        ScalingConfig: { MaximumConcurrency: 2 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    expect(env(crm).WEBHOOK_MAX_PER_SECOND).toBe('5');
    expect(env(erp).WEBHOOK_MAX_PER_SECOND).toBe('10');
  });

  it('lets a worker read its own secret, send to its own dead-letter queue and touch only its state item', () => {
    const statements = statementsOfRole(template, crm.properties.Role);
    const allowing = (action: string) =>
      statements.filter((s) => [s.Action].flat().includes(action)).map((s) => s.Resource);
    expect(allowing('secretsmanager:GetSecretValue')).toEqual([env(crm).WEBHOOK_SECRET_ID]);
    expect(allowing('sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': [deadLetterIdOf(crm), 'Arn'] }]);
    const state = statements.find((s) => [s.Action].flat().includes('dynamodb:PutItem'));
    expect(state?.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['WEBHOOK#crm'] },
    });
  });

  it("lets the poller replay straight into each endpoint's queue, and send to no other queue but its failed-invocations queue", () => {
    const poller = functionDescribed(template, 'Polls Midaxo');
    const replayQueues = (poller.properties.Environment as { Variables: Record<string, unknown> }).Variables
      .WEBHOOK_REPLAY_QUEUES;
    expect(JSON.stringify(replayQueues)).toContain(queueIdOf(crm));
    expect(JSON.stringify(replayQueues)).toContain(queueIdOf(erp));
    const sendable = statementsOfRole(template, poller.properties.Role)
      .filter((s) => [s.Action].flat().includes('sqs:SendMessage'))
      .flatMap((s) => [s.Resource].flat())
      .filter((resource) => !JSON.stringify(resource).includes('PollerFailedInvocations'));
    expect(sendable).toEqual([
      { 'Fn::GetAtt': [queueIdOf(crm), 'Arn'] },
      { 'Fn::GetAtt': [queueIdOf(erp), 'Arn'] },
    ]);
  });

  it('creates the signing secret empty and has a deploy-time function put a whsec_ key in it, never the template', () => {
    const secretId = logicalIdWhere(template, 'AWS::SecretsManager::Secret', (p) =>
      String(p.Description).includes('webhook target "crm"'),
    );
    const secret = template.toJSON().Resources[secretId].Properties;
    expect(secret.GenerateSecretString).toBeUndefined();
    expect(secret.SecretString).toBeUndefined();
    expect(env(crm).WEBHOOK_SECRET_ID).toEqual({ Ref: secretId });

    const generator = functionDescribed(template, 'Puts a first random Standard Webhooks key');
    template.resourceCountIs(WEBHOOK_SIGNING_KEY_TYPE, 1);
    template.hasResource(WEBHOOK_SIGNING_KEY_TYPE, {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [generator.id, 'Arn'] },
        SecretArn: { Ref: secretId },
        ServiceTimeout: '120',
      },
    });
    // It may find out whether the created secret holds a key and put one in, on that secret alone.
    const statements = statementsOfRole(template, generator.properties.Role).filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('secretsmanager:')),
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'],
        Resource: { Ref: secretId },
      },
    ]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/whsec_[A-Za-z0-9+/]/);
  });

  it("alarms on each endpoint's dead-letter queue and while it is disabled", () => {
    for (const name of ['crm', 'erp']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp(`webhook target "${name}" answered 410 Gone`),
        MetricName: 'WebhookEndpointDisabled',
        Dimensions: Match.arrayWith([{ Name: 'endpoint', Value: name }]),
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp(`Dead-letter queue of webhook target "${name}"`),
      });
    }
  });

  it('passes the cdk-nag AWS Solutions checks and synthesizes without warnings', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
