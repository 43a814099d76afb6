/**
 * Builds the notifier stack for template assertions: the context of cdk.json (feature flags and the
 * example configuration) with test overrides on top, and asset bundling skipped so synth stays fast.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readNotifierConfig } from '../../infra/config/read-notifier-config.js';
import { MidaxoChangeNotifierStack } from '../../infra/midaxo-change-notifier-stack.js';

/** A credential-looking value placed where a careless stack could copy it into the template. */
export const FAKE_CLIENT_SECRET = 'fake-client-secret-2f9c41d7e0';

export const EXISTING_SECRET_NAME = 'midaxo/beta-credentials';
export const EXISTING_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:midaxo/gamma-AbC123';
export const EXISTING_SECRET_KEY_ARN =
  'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const SUBSCRIBER_QUEUE_ARN = 'arn:aws:sqs:us-east-1:111122223333:midaxo-changes';
export const WEBHOOK_URL = 'https://hooks.example.com/midaxo';

/** Every kind of workspace secret and notification target, as a user would write them in cdk.json. */
export const FULL_CONFIG = {
  instance: 'us',
  workspaces: [
    { name: 'acme', processIds: ['proc-a1', 'proc-a2'], secret: { create: true } },
    { name: 'beta', processIds: ['proc-b1'], secret: { existing: EXISTING_SECRET_NAME } },
    {
      name: 'gamma',
      processIds: ['proc-g1'],
      secret: { existing: EXISTING_SECRET_ARN, encryptionKeyArn: EXISTING_SECRET_KEY_ARN },
    },
  ],
  pollIntervalMinutes: 10,
  reconcileSchedule: 'rate(12 hours)',
  ignoredFields: ['updatedAt', 'lastViewedAt'],
  notifications: [
    { type: 'email', address: 'deals@example.com', filter: { eventTypes: ['created', 'deleted'] } },
    { type: 'https', url: WEBHOOK_URL, filter: { processIds: ['proc-a1'] } },
    { type: 'sqs', queueArn: SUBSCRIBER_QUEUE_ARN, filter: { changedFields: ['stage', 'owner'] } },
  ],
  alarmEmail: 'oncall@example.com',
  logRetentionDays: 90,
  missedRunsBeforeAlarm: 4,
  watermarkLagAlarmMinutes: 90,
  // Not a key the stack reads: a value left in context must still never reach the template.
  client_secret: FAKE_CLIENT_SECRET,
};

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export interface SynthesizedStack {
  readonly app: App;
  readonly stack: MidaxoChangeNotifierStack;
  readonly template: Template;
}

export function synthesizeStack(overrides: Record<string, unknown> = FULL_CONFIG): SynthesizedStack {
  const app = new App({
    context: { ...cdkJsonContext(), ...overrides, 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new MidaxoChangeNotifierStack(app, 'MidaxoChangeNotifier', {
    config: readNotifierConfig(app),
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** An IAM policy statement as it appears in the synthesized template. */
export interface StatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

interface ResourceJson {
  readonly Properties: Record<string, unknown>;
}

/** The one resource of a type, failing when there are none or several. */
export function onlyResource(template: Template, type: string): ResourceJson {
  const resources = Object.values(template.findResources(type)) as ResourceJson[];
  if (resources.length !== 1 || resources[0] === undefined) {
    throw new Error(`expected exactly one ${type}, found ${resources.length}`);
  }
  return resources[0];
}

/** Every statement of the IAM policies attached to the role of the given role reference. */
export function statementsOfRole(template: Template, roleArn: unknown): StatementJson[] {
  const roleLogicalId = (roleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleLogicalId }] } }),
  ) as ResourceJson[];
  return policies.flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: StatementJson[] }).Statement,
  );
}

/** The statements granted to the poller function's role. */
export function pollerStatements(template: Template): StatementJson[] {
  return statementsOfRole(template, onlyResource(template, 'AWS::Lambda::Function').Properties.Role);
}

export function actionsOf(statement: StatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Statements that allow any of the given actions (exact names or a service prefix such as `dynamodb:`). */
export function statementsAllowing(
  statements: readonly StatementJson[],
  actionPrefix: string,
): StatementJson[] {
  return statements.filter((statement) =>
    actionsOf(statement).some((action) => action.startsWith(actionPrefix)),
  );
}
