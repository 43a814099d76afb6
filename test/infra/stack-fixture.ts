/**
 * Builds the notifier stack for template assertions: the context of cdk.json (feature flags and the
 * example configuration) with test overrides on top, and asset bundling skipped so synth stays fast.
 * Each configuration is synthesized once per test file and shared by every suite that asks for it.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readNotifierConfig } from '../../infra/config/read-notifier-config.js';
import { MidaxoChangeNotifierStack } from '../../infra/midaxo-change-notifier-stack.js';
import { fromWorkspacesConfigItem } from '../../shared/adapters/dynamodb/workspaces-config-item.js';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import { cdkJsonContext } from './cdk-json.js';

/** A credential-looking value placed where a careless stack could copy it into the template. */
export const FAKE_CLIENT_SECRET = 'fake-client-secret-2f9c41d7e0';

export const EXISTING_SECRET_NAME = 'midaxo/beta-credentials';
export const EXISTING_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:midaxo/gamma-AbC123';
export const EXISTING_SECRET_KEY_ARN =
  'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const SUBSCRIBER_QUEUE_ARN = 'arn:aws:sqs:us-east-1:111122223333:midaxo-changes';
export const SUBSCRIBER_FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:midaxo-changes:live';
export const WEBHOOK_URL = 'https://hooks.example.com/midaxo';
export const SLACK_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:111122223333:secret:midaxo/slack-ops-XyZ987';
export const SLACK_SECRET_KEY_ARN =
  'arn:aws:kms:us-east-1:111122223333:key/abcd1234-ab12-cd34-ef56-abcdef123456';

/** Each target's filter, as configured below. */
export const FILTERS = {
  email: { eventTypes: ['created', 'deleted'] },
  emailDigest: { processIds: ['proc-b1'], changedFields: ['stage'] },
  https: { processIds: ['proc-a1'] },
  sqs: { changedFields: ['stage', 'owner'] },
  lambda: { eventTypes: ['created'], processIds: ['proc-b1'] },
  slackDeals: { eventTypes: ['updated', 'deleted'], changedFields: ['stage'], processIds: ['proc-a1'] },
} as const;

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
  maxDeletions: 25,
  notifications: [
    { type: 'email', address: 'deals@example.com', delivery: 'each', filter: FILTERS.email },
    { type: 'email', address: 'partners@example.com', digestMinutes: 2, filter: FILTERS.emailDigest },
    { type: 'email', address: 'board@example.com', delivery: 'digest' },
    { type: 'https', url: WEBHOOK_URL, filter: FILTERS.https },
    { type: 'sqs', queueArn: SUBSCRIBER_QUEUE_ARN, filter: FILTERS.sqs },
    { type: 'lambda', functionArn: SUBSCRIBER_FUNCTION_ARN, filter: FILTERS.lambda },
    { type: 'slack', name: 'deals', secret: { create: true }, filter: FILTERS.slackDeals },
    {
      type: 'slack',
      name: 'ops-team',
      secret: { existing: SLACK_SECRET_ARN, encryptionKeyArn: SLACK_SECRET_KEY_ARN },
    },
  ],
  alarmEmail: 'oncall@example.com',
  logRetentionDays: 90,
  missedRunsBeforeAlarm: 4,
  watermarkLagAlarmMinutes: 90,
  // Not a key the stack reads: a value left in context must still never reach the template.
  client_secret: FAKE_CLIENT_SECRET,
};

/**
 * `count` workspaces as cdk.json would list them, their secrets created by the stack (or existing ones,
 * named by name), each watching two or three processes with Midaxo-like (UUID) ids.
 */
export function manyWorkspaces(count: number, secrets: 'created' | 'existing' = 'created') {
  const width = String(count).length;
  return Array.from({ length: count }, (_, w) => {
    const name = `workspace-${String(w + 1).padStart(width, '0')}`;
    const processIds = Array.from(
      { length: 2 + (w % 2) },
      (_, p) => `8d0c5c9e-1f2a-4b3c-${String(p).padStart(4, '0')}-${String(w).padStart(12, '0')}`,
    );
    const secret = secrets === 'created' ? { create: true } : { existing: `midaxo/${name}` };
    return { name, processIds, secret };
  });
}

export { cdkJsonContext };

export interface SynthesizedStack {
  readonly app: App;
  readonly stack: MidaxoChangeNotifierStack;
  readonly template: Template;
}

const synthesized = new Map<string, SynthesizedStack>();

/** The stack for cdk.json's context with `overrides` on top; synthesized on first use, then shared. */
export function synthesizeStack(overrides: Record<string, unknown> = FULL_CONFIG): SynthesizedStack {
  const key = JSON.stringify(overrides);
  const known = synthesized.get(key);
  if (known !== undefined) return known;
  const app = new App({
    context: { ...cdkJsonContext(), ...overrides, 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new MidaxoChangeNotifierStack(app, 'MidaxoChangeNotifier', {
    config: readNotifierConfig(app),
  });
  const result = { app, stack, template: Template.fromStack(stack) };
  synthesized.set(key, result);
  return result;
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

/** The logical id of the one resource of `type` whose properties satisfy `predicate`. */
export function logicalIdWhere(
  template: Template,
  type: string,
  predicate: (properties: Record<string, unknown>) => boolean,
): string {
  const ids = Object.entries(template.findResources(type))
    .filter(([, resource]) => predicate(resource.Properties))
    .map(([id]) => id);
  if (ids.length !== 1 || ids[0] === undefined) {
    throw new Error(`expected exactly one matching ${type}, found ${ids.length}`);
  }
  return ids[0];
}

/** The Lambda function whose description starts with `prefix`: its logical id and properties. */
export function functionDescribed(template: Template, prefix: string) {
  return functionWhere(template, (p) => String(p.Description).startsWith(prefix));
}

/** The one Lambda function whose properties satisfy `predicate`: its logical id and properties. */
export function functionWhere(
  template: Template,
  predicate: (properties: Record<string, unknown>) => boolean,
) {
  const id = logicalIdWhere(template, 'AWS::Lambda::Function', predicate);
  const properties = template.findResources('AWS::Lambda::Function')[id]?.Properties as Record<
    string,
    unknown
  >;
  return { id, properties };
}

/**
 * Renders a Fn::Join of literal text and references as text, each reference written by `reference`
 * (as `<Ref:logicalId>` unless told otherwise).
 */
export function joined(
  value: unknown,
  reference: (ref: { Ref: string }) => string = (ref) => `<Ref:${ref.Ref}>`,
): string {
  const parts = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return parts.map((part) => (typeof part === 'string' ? part : reference(part as { Ref: string }))).join('');
}

/** The statement letting a function decrypt with a secret's own key, and only through Secrets Manager. */
export function decryptViaSecretsManager(keyArn: string): StatementJson {
  return {
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: keyArn,
    Condition: {
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    },
  };
}

export const POLLER_DESCRIPTION = 'Polls Midaxo for changed projects';

export function slackForwarderDescription(target: string): string {
  return `Posts Midaxo change events to the Slack target "${target}"`;
}

/** The statements granted to the role of the function whose description starts with `prefix`. */
export function functionStatements(template: Template, prefix: string): StatementJson[] {
  return statementsOfRole(template, functionDescribed(template, prefix).properties.Role);
}

/** The statements granted to the poller function's role. */
export function pollerStatements(template: Template): StatementJson[] {
  return functionStatements(template, POLLER_DESCRIPTION);
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

interface SdkCallJson {
  readonly service: string;
  readonly action: string;
  readonly parameters: {
    TableName: string;
    Item?: Record<string, { S: string }>;
    Key?: Record<string, unknown>;
  };
  readonly physicalResourceId?: { id: string };
}

/** What the stack writes into its state table at deploy, as CloudFormation hands it to the writer. */
export interface StoredWorkspaceList {
  readonly logicalId: string;
  /** The PutItem sent on create and on update, references written as `<Ref:logicalId>`. */
  readonly put: SdkCallJson;
  readonly update: SdkCallJson;
  readonly delete: SdkCallJson;
  /** The list as the poller reads it back from the item (`fromWorkspacesConfigItem`). */
  readonly workspaces: WorkspaceConfig[];
  /** The version the poller's environment names. */
  readonly version: string;
}

export function storedWorkspaceList(template: Template): StoredWorkspaceList {
  const [entry, ...others] = Object.entries(template.findResources('Custom::MidaxoWorkspaceList'));
  if (entry === undefined || others.length > 0) throw new Error('expected exactly one workspace list writer');
  const [logicalId, resource] = entry;
  const call = (name: string) => JSON.parse(joined(resource.Properties[name])) as SdkCallJson;
  const put = call('Create');
  const variables = (
    functionDescribed(template, POLLER_DESCRIPTION).properties.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;
  const version = String(variables.MIDAXO_WORKSPACES_VERSION);
  const workspaces = fromWorkspacesConfigItem(put.parameters.Item ?? {}, put.parameters.TableName, version);
  return { logicalId, put, update: call('Update'), delete: call('Delete'), workspaces, version };
}
