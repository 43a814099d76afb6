import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { topicEmailTextOf } from '../../../infra/config/notifier-config.js';
import { readNotifierConfig } from '../../../infra/config/read-notifier-config.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import { cdkJsonContext, FAKE_CLIENT_SECRET, FULL_CONFIG, SLACK_SECRET_ARN } from '../stack-fixture.js';

/** A Slack incoming-webhook URL as Slack shows it; a credential that must never be accepted or repeated. */
const FAKE_SLACK_WEBHOOK = 'https://hooks.slack.com/services/T0000FAKE/B0000FAKE/fakeWebhookToken0123';

const MINIMAL = {
  instance: 'eu',
  workspaces: [{ name: 'acme', processIds: ['p1'], secret: { create: true } }],
};

function read(context: Record<string, unknown>) {
  return readNotifierConfig(new App({ context }));
}

function problemsOf(context: Record<string, unknown>): string {
  try {
    read(context);
  } catch (e: unknown) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected the configuration to be rejected');
}

function withWorkspace(workspace: Record<string, unknown>) {
  return { ...MINIMAL, workspaces: [workspace] };
}

function withTarget(target: Record<string, unknown>) {
  return { ...MINIMAL, notifications: [target] };
}

describe('readNotifierConfig', () => {
  it('reads the example configuration of cdk.json as a fresh clone has it', () => {
    const config = read(cdkJsonContext());

    expect(config.instance).toBe('eu');
    expect(config.workspaces).toEqual([
      { name: 'example', processIds: ['replace-with-a-process-id'], secret: { kind: 'create' } },
    ]);
    expect(config.pollIntervalMinutes).toBe(5);
    expect(config.reconcileSchedule).toEqual({ kind: 'cron', expression: 'cron(0 3 * * ? *)' });
  });

  it('fills in the defaults: 5-minute polls, daily reconcile, updatedAt ignored, no subscribers', () => {
    const config = read(MINIMAL);

    expect(config).toMatchObject({
      pollIntervalMinutes: 5,
      reconcileSchedule: { kind: 'cron', expression: 'cron(0 3 * * ? *)' },
      ignoredFields: ['updatedAt'],
      publishBaseline: false,
      pageSize: 100,
      overlapSeconds: 300,
      maxDeletions: 10,
      maxDeletionsPercent: 20,
      logLevel: 'INFO',
      logRetentionDays: 30,
      notifications: [],
      missedRunsBeforeAlarm: 3,
      watermarkLagAlarmMinutes: 60,
    });
    expect(config.alarmEmail).toBeUndefined();
  });

  it('accepts every kind of secret and notification target', () => {
    const config = read(FULL_CONFIG);

    expect(config.workspaces.map((workspace) => workspace.secret)).toEqual([
      { kind: 'create' },
      { kind: 'existing', nameOrArn: 'midaxo/beta-credentials' },
      {
        kind: 'existing',
        nameOrArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:midaxo/gamma-AbC123',
        encryptionKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    ]);
    expect(config.notifications.map((target) => target.type)).toEqual([
      'email',
      'email',
      'email',
      'https',
      'sqs',
      'lambda',
      'slack',
      'slack',
    ]);
    expect(config.reconcileSchedule).toEqual({ kind: 'rate', minutes: 720 });
  });

  it('reads a Slack target with a created or an existing webhook secret, as workspaces take them', () => {
    const config = read({
      ...MINIMAL,
      notifications: [
        { type: 'slack', name: 'deals', secret: { create: true }, filter: { eventTypes: ['deleted'] } },
        { type: 'slack', name: 'ops', secret: { existing: 'midaxo/slack-ops' } },
        { type: 'slack', name: 'audit', secret: { existing: SLACK_SECRET_ARN } },
      ],
    });

    expect(config.notifications).toEqual([
      { type: 'slack', name: 'deals', secret: { kind: 'create' }, filter: { eventTypes: ['deleted'] } },
      { type: 'slack', name: 'ops', secret: { kind: 'existing', nameOrArn: 'midaxo/slack-ops' } },
      { type: 'slack', name: 'audit', secret: { kind: 'existing', nameOrArn: SLACK_SECRET_ARN } },
    ]);
  });

  it('takes JSON text for structured keys, as `cdk synth -c key=value` passes them', () => {
    const config = read({
      instance: 'us',
      workspaces: JSON.stringify(MINIMAL.workspaces),
      pollIntervalMinutes: '10',
      publishBaseline: 'true',
      ignoredFields: '["updatedAt","viewedAt"]',
      notifications: '[{"type":"email","address":"a@example.com"}]',
    });

    expect(config.workspaces[0]?.name).toBe('acme');
    expect(config.pollIntervalMinutes).toBe(10);
    expect(config.publishBaseline).toBe(true);
    expect(config.ignoredFields).toEqual(['updatedAt', 'viewedAt']);
    expect(config.notifications).toEqual([
      { type: 'email', address: 'a@example.com', delivery: 'digest', digestMinutes: 5 },
    ]);
  });

  it('sends an email target digests of 5 minutes unless it asks for another interval or for each change', () => {
    const config = read({
      ...MINIMAL,
      notifications: [
        { type: 'email', address: 'a@example.com' },
        { type: 'email', address: 'b@example.com', digestMinutes: '2' },
        { type: 'email', address: 'c@example.com', delivery: 'each' },
      ],
    });

    expect(config.notifications).toEqual([
      { type: 'email', address: 'a@example.com', delivery: 'digest', digestMinutes: 5 },
      { type: 'email', address: 'b@example.com', delivery: 'digest', digestMinutes: 2 },
      { type: 'email', address: 'c@example.com', delivery: 'each' },
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown delivery',
      { delivery: 'daily' },
      'notifications[0].delivery: must be "digest" (one email per few minutes, the default) or "each"',
    ],
    [
      'a digest interval beyond what Lambda gathers',
      { digestMinutes: 60 },
      'notifications[0].digestMinutes: must be a whole number of minutes from 1 to 5: Lambda gathers a batch',
    ],
    ['a digest interval of no time', { digestMinutes: 0 }, 'notifications[0].digestMinutes: must be a whole'],
    [
      'an interval for an email per change',
      { delivery: 'each', digestMinutes: 2 },
      'notifications[0].digestMinutes: only applies to "delivery": "digest"',
    ],
  ])('refuses an email target with %s, saying what is allowed', (_, fields, expected) => {
    const message = problemsOf({
      ...MINIMAL,
      notifications: [{ type: 'email', address: 'a@example.com', ...fields }],
    });

    expect(message).toContain(expected);
  });

  it('refuses a Midaxo endpoint override on a port fetch never connects to', () => {
    expect(problemsOf({ ...MINIMAL, apiUrl: 'https://proxy.example.com:6000' })).toContain(
      'apiUrl: port 6000 is one fetch never connects to',
    );
  });

  it('writes email text into the topic’s messages only for an email target of each change, or when asked to', () => {
    const each = { type: 'email', address: 'c@example.com', delivery: 'each' };
    const digest = { type: 'email', address: 'a@example.com' };

    expect(topicEmailTextOf(read(MINIMAL))).toBe(false);
    expect(topicEmailTextOf(read(withTarget(digest)))).toBe(false);
    expect(topicEmailTextOf(read(withTarget(each)))).toBe(true);
    // For email subscriptions made outside the stack.
    expect(topicEmailTextOf(read({ ...MINIMAL, topicEmailText: true }))).toBe(true);
    expect(topicEmailTextOf(read({ ...MINIMAL, topicEmailText: 'true' }))).toBe(true);
    expect(problemsOf({ ...withTarget(each), topicEmailText: false })).toContain(
      'topicEmailText: must not be false while an email target has "delivery": "each"',
    );
  });

  it('reads EU and US workspaces in one configuration, each on its own instance', () => {
    const config = read({
      workspaces: [
        { name: 'acme-eu', processIds: ['p1'], secret: { create: true }, instance: 'eu' },
        {
          name: 'acme-us',
          processIds: ['p2'],
          secret: { create: true },
          instance: 'us',
          apiUrl: 'https://midaxo-proxy.example.com',
        },
      ],
      processConcurrency: '4',
    });

    expect(config.instance).toBeUndefined();
    expect(config.workspaces.map(({ name, instance, apiUrl }) => ({ name, instance, apiUrl }))).toEqual([
      { name: 'acme-eu', instance: 'eu', apiUrl: undefined },
      { name: 'acme-us', instance: 'us', apiUrl: 'https://midaxo-proxy.example.com' },
    ]);
    expect(config.processConcurrency).toBe(4);
  });

  it.each([
    ['rate(1 day)', { kind: 'rate', minutes: 1440 }],
    ['rate(6 hours)', { kind: 'rate', minutes: 360 }],
    ['rate(30 minutes)', { kind: 'rate', minutes: 30 }],
    ['cron(30 2 ? * MON-FRI *)', { kind: 'cron', expression: 'cron(30 2 ? * MON-FRI *)' }],
  ])('understands the reconcile schedule %s', (reconcileSchedule, expected) => {
    expect(read({ ...MINIMAL, reconcileSchedule }).reconcileSchedule).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a workspace on no instance',
      { workspaces: MINIMAL.workspaces },
      'workspaces[0].instance: must be "eu" or "us": set "instance" on this workspace, or a top-level "instance"',
    ],
    [
      'an unknown workspace instance',
      withWorkspace({ name: 'acme', processIds: ['p1'], secret: { create: true }, instance: 'de' }),
      'workspaces[0].instance: must be "eu" or "us"',
    ],
    [
      "a plain-http workspace's token URL",
      withWorkspace({
        name: 'acme',
        processIds: ['p1'],
        secret: { create: true },
        authUrl: 'http://auth.example.com/oauth/token',
      }),
      'workspaces[0].authUrl: must be an https:// URL',
    ],
    ['an unknown instance', { ...MINIMAL, instance: 'de' }, 'instance: must be "eu" or "us"'],
    [
      'a plain-http API URL',
      { ...MINIMAL, apiUrl: 'http://api.example.com' },
      'apiUrl: must be an https:// URL',
    ],
    ['missing workspaces', { instance: 'eu' }, 'workspaces: must be a list of workspaces'],
    [
      'workspaces that are not JSON',
      { ...MINIMAL, workspaces: 'acme' },
      'workspaces: must be a list of workspaces',
    ],
    ['no workspace at all', { ...MINIMAL, workspaces: [] }, 'workspaces: must list at least one workspace'],
    [
      'a workspace name with spaces',
      withWorkspace({ name: 'acme corp', processIds: ['p1'], secret: { create: true } }),
      'workspaces[0].name: must be 1-64 letters, digits, "-" or "_"',
    ],
    [
      'two workspaces whose names differ only in case or punctuation',
      {
        ...MINIMAL,
        workspaces: [
          { name: 'acme-corp', processIds: ['p1'], secret: { create: true } },
          { name: 'Acme_Corp', processIds: ['p2'], secret: { create: true } },
        ],
      },
      'workspaces[1].name: must be unique, ignoring case, "-" and "_"',
    ],
    [
      'a workspace without process ids',
      withWorkspace({ name: 'acme', processIds: [], secret: { create: true } }),
      'workspaces[0].processIds: must list at least one Midaxo process id',
    ],
    [
      'a process id with a comma',
      withWorkspace({ name: 'acme', processIds: ['p1,p2'], secret: { create: true } }),
      'workspaces[0].processIds[0]: must be a Midaxo process id',
    ],
    [
      'one process watched by two workspaces',
      {
        ...MINIMAL,
        workspaces: [
          { name: 'a', processIds: ['p1'], secret: { create: true } },
          { name: 'b', processIds: ['p1'], secret: { create: true } },
        ],
      },
      'workspaces[1].processIds: process "p1" is listed twice',
    ],
    [
      'a workspace without a secret',
      withWorkspace({ name: 'acme', processIds: ['p1'] }),
      'workspaces[0].secret: must be an object: {"existing": "<secret name or ARN>"} or {"create": true}',
    ],
    [
      'a secret that is both existing and created',
      withWorkspace({ name: 'acme', processIds: ['p1'], secret: { existing: 'midaxo/acme', create: true } }),
      'workspaces[0].secret: give exactly one of "existing" (name or ARN of your secret) or "create": true',
    ],
    [
      'a partial secret ARN',
      withWorkspace({
        name: 'acme',
        processIds: ['p1'],
        secret: { existing: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:midaxo/acme' },
      }),
      'workspaces[0].secret.existing: must be a secret name',
    ],
    [
      'a key for a secret that is created here',
      withWorkspace({
        name: 'acme',
        processIds: ['p1'],
        secret: { create: true, encryptionKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc-123' },
      }),
      'workspaces[0].secret.encryptionKeyArn: only applies to an existing secret',
    ],
    [
      'an unknown workspace key',
      withWorkspace({ name: 'acme', processIds: ['p1'], secret: { create: true }, region: 'eu' }),
      'workspaces[0]: unknown key "region"; allowed keys: name, processIds, secret',
    ],
    [
      'a poll interval of zero',
      { ...MINIMAL, pollIntervalMinutes: 0 },
      'pollIntervalMinutes: must be a whole number from 1 to 60',
    ],
    [
      'a poll interval in words',
      { ...MINIMAL, pollIntervalMinutes: 'five' },
      'pollIntervalMinutes: must be a whole number from 1 to 60',
    ],
    [
      'a reconcile schedule in words',
      { ...MINIMAL, reconcileSchedule: 'daily' },
      'reconcileSchedule: must be "rate(<n> minutes|hours|days)"',
    ],
    [
      'an ignored field with a comma',
      { ...MINIMAL, ignoredFields: ['a,b'] },
      'ignoredFields[0]: must be a field name of 1-256 characters without commas',
    ],
    [
      'a non-boolean publishBaseline',
      { ...MINIMAL, publishBaseline: 'yes' },
      'publishBaseline: must be true or false',
    ],
    [
      'a page size over 1000',
      { ...MINIMAL, pageSize: 5000 },
      'pageSize: must be a whole number from 1 to 1000',
    ],
    [
      'an unknown log level',
      { ...MINIMAL, logLevel: 'VERBOSE' },
      'logLevel: must be "DEBUG", "INFO", "WARN" or "ERROR"',
    ],
    [
      'a log retention CloudWatch does not offer',
      { ...MINIMAL, logRetentionDays: 42 },
      'logRetentionDays: must be one of 1, 3, 5, 7',
    ],
    [
      'an unknown notification type',
      withTarget({ type: 'pager', number: '1' }),
      'notifications[0].type: must be an object whose "type" is "email", "https", "sqs", "lambda", "slack" or "webhook"',
    ],
    [
      'a bad email address',
      withTarget({ type: 'email', address: 'nobody' }),
      'notifications[0].address: must be an email address',
    ],
    [
      'a plain-http webhook',
      withTarget({ type: 'https', url: 'http://hooks.example.com' }),
      'notifications[0].url: must be an https:// URL of your webhook',
    ],
    [
      'a webhook URL that is no URL',
      withTarget({ type: 'https', url: 'hooks example com' }),
      'notifications[0].url: must be an https:// URL of your webhook',
    ],
    [
      'a webhook URL with credentials in it',
      withTarget({ type: 'https', url: 'https://user:hunter2@hooks.example.com' }),
      'notifications[0].url: must not carry credentials',
    ],
    [
      'a webhook URL with a password and no user name',
      withTarget({ type: 'https', url: 'https://:hunter2@hooks.example.com' }),
      'notifications[0].url: must not carry credentials',
    ],
    [
      'a webhook receiver on a port fetch never connects to',
      withTarget({
        type: 'webhook',
        name: 'crm',
        url: 'https://hooks.example.com:25/in',
        secret: { create: true },
      }),
      'notifications[0].url: port 25 is one fetch never connects to (a "bad port" of the Fetch standard',
    ],
    [
      'an API URL with credentials in it',
      { ...MINIMAL, apiUrl: 'https://:hunter2@api.example.com' },
      'apiUrl: must not carry credentials (user:password@): they would be stored in the template',
    ],
    [
      'a token URL with credentials in it',
      { ...MINIMAL, authUrl: 'https://user:hunter2@auth.example.com/oauth/token' },
      'authUrl: must not carry credentials (user:password@): they would be stored in the template',
    ],
    [
      'a FIFO queue',
      withTarget({ type: 'sqs', queueArn: 'arn:aws:sqs:eu-west-1:111122223333:changes.fifo' }),
      'notifications[0].queueArn: must be the ARN of a standard SQS queue',
    ],
    [
      'a Lambda target whose ARN names no function',
      withTarget({ type: 'lambda', functionArn: 'arn:aws:lambda:eu-west-1:111122223333:layer:shared:3' }),
      'notifications[0].functionArn: must be the ARN of a Lambda function, optionally with a version or alias',
    ],
    [
      'a Lambda target given by name instead of ARN',
      withTarget({ type: 'lambda', functionArn: 'midaxo-changes' }),
      'notifications[0].functionArn: must be the ARN of a Lambda function',
    ],
    [
      'a Lambda target whose ARN has no account',
      withTarget({ type: 'lambda', functionArn: 'arn:aws:lambda:eu-west-1::function:midaxo-changes' }),
      'notifications[0].functionArn: must be the ARN of a Lambda function',
    ],
    [
      'a Lambda target without an ARN',
      withTarget({ type: 'lambda' }),
      'notifications[0].functionArn: must be a Lambda function ARN',
    ],
    [
      'a Lambda target with a key of another target',
      withTarget({ type: 'lambda', queueArn: 'arn:aws:sqs:eu-west-1:111122223333:q' }),
      'notifications[0]: unknown key "queueArn"; allowed keys: type, functionArn, filter',
    ],
    [
      'the same Lambda function twice',
      {
        ...MINIMAL,
        notifications: [
          { type: 'lambda', functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f' },
          {
            type: 'lambda',
            functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f',
            filter: { eventTypes: ['deleted'] },
          },
        ],
      },
      'notifications[1]: subscribes the same endpoint twice',
    ],
    [
      'an unknown event type in a filter',
      withTarget({ type: 'email', address: 'a@example.com', filter: { eventTypes: ['moved'] } }),
      'notifications[0].filter.eventTypes[0]: must be one of "created", "updated", "deleted"',
    ],
    [
      'an empty filter',
      withTarget({ type: 'email', address: 'a@example.com', filter: {} }),
      'notifications[0].filter: must set at least one of "eventTypes", "processIds", "changedFields"',
    ],
    [
      'a filter on a process no workspace watches',
      withTarget({ type: 'email', address: 'a@example.com', filter: { processIds: ['elsewhere'] } }),
      'notifications[0].filter.processIds: process "elsewhere" is not watched by any workspace',
    ],
    [
      'a filter beyond the SNS limit of 150 combinations',
      withTarget({
        type: 'email',
        address: 'a@example.com',
        filter: {
          eventTypes: ['created', 'updated'],
          changedFields: Array.from({ length: 76 }, (_, i) => `field${i}`),
        },
      }),
      'notifications[0].filter: allows 154 combinations of values',
    ],
    [
      'a filter that asks for changed fields of deletions only',
      withTarget({
        type: 'slack',
        name: 'deals',
        secret: { create: true },
        filter: { eventTypes: ['deleted'], changedFields: ['stage'] },
      }),
      'notifications[0].filter: changedFields has no effect on deleted events (a deletion changes no fields); ' +
        'remove changedFields, or add "created" or "updated" to eventTypes (slack target "deals")',
    ],
    [
      'a filter on a field name SNS would need escaped',
      withTarget({
        type: 'sqs',
        queueArn: 'arn:aws:sqs:eu-west-1:111122223333:q',
        filter: { changedFields: ['a"b'] },
      }),
      'notifications[0].filter: every entry of changedFields must be non-blank text without double quotes or backslashes (sqs target)',
    ],
    [
      'a Slack target without a secret',
      withTarget({ type: 'slack', name: 'deals' }),
      'notifications[0].secret: must be an object: {"existing": "<secret name or ARN>"} or {"create": true}',
    ],
    [
      'a Slack target without a name',
      withTarget({ type: 'slack', secret: { create: true } }),
      'notifications[0].name: must be a name for this Slack target',
    ],
    [
      'a Slack target name with spaces',
      withTarget({ type: 'slack', name: 'deal flow', secret: { create: true } }),
      'notifications[0].name: must be 1-64 letters, digits, "-" or "_"',
    ],
    [
      'a Slack secret that is both existing and created',
      withTarget({ type: 'slack', name: 'deals', secret: { existing: 'midaxo/slack', create: true } }),
      'notifications[0].secret: give exactly one of "existing" (name or ARN of your secret) or "create": true',
    ],
    [
      'two Slack targets whose names differ only in case or punctuation',
      {
        ...MINIMAL,
        notifications: [
          { type: 'slack', name: 'deal-flow', secret: { create: true } },
          { type: 'slack', name: 'Deal_Flow', secret: { create: true } },
        ],
      },
      'notifications[1].name: must be unique among Slack targets, ignoring case, "-" and "_"',
    ],
    [
      'the same endpoint twice',
      {
        ...MINIMAL,
        notifications: [
          { type: 'email', address: 'a@example.com' },
          { type: 'email', address: 'A@example.com' },
        ],
      },
      'notifications[1]: subscribes the same endpoint twice',
    ],
    ['a bad alarm email', { ...MINIMAL, alarmEmail: 'ops' }, 'alarmEmail: must be an email address'],
    [
      'a missed-run alarm window beyond one day',
      { ...MINIMAL, pollIntervalMinutes: 60, missedRunsBeforeAlarm: 25, watermarkLagAlarmMinutes: 180 },
      'missedRunsBeforeAlarm: times pollIntervalMinutes must be at most 1440 (one day)',
    ],
    [
      'a watermark lag alarm that would fire on healthy runs',
      { ...MINIMAL, pollIntervalMinutes: 30, watermarkLagAlarmMinutes: 45 },
      'watermarkLagAlarmMinutes: must be at least twice pollIntervalMinutes',
    ],
  ])('rejects %s, naming the key and what is allowed', (_, context, expected) => {
    expect(problemsOf(context)).toContain(`  - ${expected}`);
  });

  it('lists every problem at once, under a heading that says where to fix them', () => {
    const message = problemsOf({ instance: 'de', workspaces: [], pollIntervalMinutes: 0 });

    expect(message).toMatch(/^Invalid notifier configuration\. Fix these keys in the "context" of cdk\.json/);
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(3);
  });

  it('refuses credentials put into context, without repeating them', () => {
    const message = problemsOf(
      withWorkspace({
        name: 'acme',
        processIds: ['p1'],
        secret: { client_id: 'acme-client', client_secret: FAKE_CLIENT_SECRET },
      }),
    );

    expect(message).toContain(
      'workspaces[0].secret: key "client_id", "client_secret" looks like a credential',
    );
    expect(message).not.toContain(FAKE_CLIENT_SECRET);
    expect(message).not.toContain('acme-client');
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'as "webhookUrl"',
      { type: 'slack', name: 'deals', secret: { create: true }, webhookUrl: FAKE_SLACK_WEBHOOK },
      'notifications[0]: key "webhookUrl" looks like a credential',
    ],
    [
      'as a Slack target\'s "url"',
      { type: 'slack', name: 'deals', url: FAKE_SLACK_WEBHOOK },
      'notifications[0]: key "url" looks like a credential',
    ],
    [
      'in the Slack secret',
      { type: 'slack', name: 'deals', secret: { webhookUrl: FAKE_SLACK_WEBHOOK } },
      'notifications[0].secret: key "webhookUrl" looks like a credential',
    ],
    [
      'as the name of an existing secret',
      { type: 'slack', name: 'deals', secret: { existing: FAKE_SLACK_WEBHOOK } },
      'notifications[0].secret.existing: must be a secret name',
    ],
    [
      'as an https target',
      { type: 'https', url: FAKE_SLACK_WEBHOOK },
      'notifications[0].url: is a Slack incoming webhook, whose URL is a credential: add a "slack" target instead',
    ],
    [
      'as an https target whose host ends in a dot',
      { type: 'https', url: FAKE_SLACK_WEBHOOK.replace('hooks.slack.com', 'hooks.slack.com.') },
      'notifications[0].url: is a Slack incoming webhook, whose URL is a credential: add a "slack" target instead',
    ],
  ])('refuses a Slack webhook URL put into context %s, without repeating it', (_, target, expected) => {
    const message = problemsOf(withTarget(target));

    expect(message).toContain(`  - ${expected}`);
    expect(message).not.toContain('fakeWebhookToken');
  });

  it('never repeats a rejected value, which may be a credential pasted into the wrong key', () => {
    const message = problemsOf({
      ...MINIMAL,
      instance: FAKE_CLIENT_SECRET,
      alarmEmail: FAKE_CLIENT_SECRET,
      audience: 42,
      notifications: [{ type: 'https', url: `https://user:${FAKE_CLIENT_SECRET}@hooks.example.com` }],
    });

    expect(message).not.toContain(FAKE_CLIENT_SECRET);
  });
});
