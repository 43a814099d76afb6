import { App, Duration, Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { Poller, type PollerProps } from '../../../infra/constructs/poller.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../../shared/observability/metric-names.js';
import {
  actionsOf,
  decryptViaSecretsManager,
  EXISTING_SECRET_ARN,
  EXISTING_SECRET_KEY_ARN,
  EXISTING_SECRET_NAME,
  FULL_CONFIG,
  functionDescribed,
  functionWhere,
  joined,
  logicalIdWhere,
  POLLER_DESCRIPTION,
  pollerStatements,
  statementsAllowing,
  statementsOfRole,
  storedWorkspaceList,
  synthesizeStack,
} from '../stack-fixture.js';

const { template } = synthesizeStack();
const statements = pollerStatements(template);
const poller = functionDescribed(template, POLLER_DESCRIPTION);

function logicalIdOf(type: string, predicate: (properties: Record<string, unknown>) => boolean): string {
  return logicalIdWhere(template, type, predicate);
}

const changeTopicId = logicalIdOf('AWS::SNS::Topic', (p) => p.DisplayName === 'Midaxo project changes');
const changeKeyId = logicalIdOf('AWS::KMS::Key', (p) =>
  String(p.Description).includes('Midaxo project changes'),
);
const tableId = logicalIdOf('AWS::DynamoDB::Table', () => true);
const createdSecretId = logicalIdOf('AWS::SecretsManager::Secret', (p) =>
  String(p.Description).includes('workspace "acme"'),
);
const pollerLogGroupId = (poller.properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;

describe('Poller', () => {
  it('runs on the latest Node.js runtime on ARM64, sized for a 5-minute schedule', () => {
    expect(poller.properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 300,
      Handler: 'index.handler',
    });
  });

  it('logs to its own log group, kept as long as configured', () => {
    expect(template.findResources('AWS::Logs::LogGroup')[pollerLogGroupId]?.Properties).toMatchObject({
      RetentionInDays: 90,
    });
  });

  it('sets every variable of the poller contract from the configuration', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp(`^${POLLER_DESCRIPTION}`),
      Environment: {
        Variables: Match.objectEquals({
          NODE_OPTIONS: '--enable-source-maps --max-old-space-size=192',
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          POWERTOOLS_LOG_LEVEL: 'INFO',
          MIDAXO_INSTANCE: 'us',
          MIDAXO_WORKSPACES_VERSION: Match.stringLikeRegexp('^[0-9a-f]{16}$'),
          IGNORED_FIELDS: 'updatedAt,lastViewedAt',
          PUBLISH_BASELINE: 'false',
          SNS_EMAIL_TEXT: 'true',
          PAGE_SIZE: '100',
          PROCESS_CONCURRENCY: '8',
          OVERLAP_SECONDS: '300',
          MAX_DELETIONS: '25',
          MAX_DELETIONS_PERCENT: '20',
          EVENT_RETENTION_DAYS: '14',
          STATE_TABLE_NAME: { Ref: tableId },
          TOPIC_ARN: { Ref: changeTopicId },
        }),
      },
    });
  });

  it('stores one EU and two US workspaces with their own instance and URLs, for one poller', () => {
    const mixed = synthesizeStack({
      instance: undefined,
      workspaces: [
        { name: 'deals-eu', processIds: ['p-eu'], secret: { create: true }, instance: 'eu' },
        { name: 'deals-us', processIds: ['p-us'], secret: { existing: 'midaxo/us' }, instance: 'us' },
        {
          name: 'labs-us',
          processIds: ['p-labs'],
          secret: { existing: 'midaxo/labs' },
          instance: 'us',
          apiUrl: 'https://midaxo-proxy.example.com',
        },
      ],
      processConcurrency: 4,
    }).template;
    const stored = storedWorkspaceList(mixed);
    const variables = (
      functionDescribed(mixed, POLLER_DESCRIPTION).properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

    expect(stored.workspaces.map(({ name, instance, apiUrl }) => ({ name, instance, apiUrl }))).toEqual([
      { name: 'deals-eu', instance: 'eu', apiUrl: undefined },
      { name: 'deals-us', instance: 'us', apiUrl: undefined },
      { name: 'labs-us', instance: 'us', apiUrl: 'https://midaxo-proxy.example.com' },
    ]);
    expect(variables).not.toHaveProperty('MIDAXO_INSTANCE');
    expect(variables.PROCESS_CONCURRENCY).toBe('4');
  });

  it('sends the runs Lambda gave up on (failed or dropped) to an encrypted queue the monitoring alarms on', () => {
    const queue = new Capture();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: poller.id },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    expect(template.findResources('AWS::SQS::Queue')[queue.asString()]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue.asString(), 'QueueName'] } }],
    });
  });

  it('passes Midaxo endpoint overrides only when configured', () => {
    const overridden = synthesizeStack({
      instance: 'eu',
      apiUrl: 'https://api.staging.example.com',
      authUrl: 'https://auth.staging.example.com/oauth/token',
      audience: 'staging-api',
    }).template;

    overridden.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MIDAXO_INSTANCE: 'eu',
          MIDAXO_API_URL: 'https://api.staging.example.com',
          MIDAXO_AUTH_URL: 'https://auth.staging.example.com/oauth/token',
          MIDAXO_AUDIENCE: 'staging-api',
        }),
      },
    });
    expect(poller.properties.Environment).toMatchObject({
      Variables: { MIDAXO_INSTANCE: 'us' },
    });
    expect(poller.properties.Environment).not.toHaveProperty('Variables.MIDAXO_API_URL');
    expect(poller.properties.Environment).not.toHaveProperty('Variables.MIDAXO_AUDIENCE');
  });

  it('stores the workspace list in the state table at deploy, each secret by reference (ARN or name), never by value', () => {
    const stored = storedWorkspaceList(template);

    expect(stored.put).toMatchObject({ service: 'DynamoDB', action: 'PutItem' });
    expect(stored.put.parameters.TableName).toBe(`<Ref:${tableId}>`);
    expect(stored.workspaces).toEqual([
      { name: 'acme', secretId: `<Ref:${createdSecretId}>`, processIds: ['proc-a1', 'proc-a2'] },
      { name: 'beta', secretId: EXISTING_SECRET_NAME, processIds: ['proc-b1'] },
      { name: 'gamma', secretId: EXISTING_SECRET_ARN, processIds: ['proc-g1'] },
    ]);
  });

  it('writes the list under the version its environment names, on create and on update, and removes it on delete', () => {
    const stored = storedWorkspaceList(template);

    expect(stored.update).toEqual(stored.put);
    expect(stored.put.parameters.Item).toMatchObject({
      pk: { S: 'CONFIG' },
      sk: { S: `WORKSPACES#${stored.version}` },
      version: { S: stored.version },
    });
    // A new version is a new physical resource: CloudFormation deletes the superseded item after the update.
    expect(stored.put.physicalResourceId).toEqual({ id: `workspaces-${stored.version}` });
    expect(stored.delete).toMatchObject({
      service: 'DynamoDB',
      action: 'DeleteItem',
      parameters: {
        TableName: `<Ref:${tableId}>`,
        Key: { pk: { S: 'CONFIG' }, sk: { S: `WORKSPACES#${stored.version}` } },
      },
    });
  });

  it('is updated only after the list it names is written, so a fresh container always finds it', () => {
    const { logicalId } = storedWorkspaceList(template);

    expect(template.toJSON().Resources[poller.id].DependsOn).toContain(logicalId);
  });

  it('gets another list version when the list changes, and keeps it when only the rest of the configuration does', () => {
    const versionOf = (overrides: Record<string, unknown>) =>
      storedWorkspaceList(synthesizeStack({ ...FULL_CONFIG, ...overrides }).template).version;
    const { version } = storedWorkspaceList(template);
    const [acme, ...rest] = FULL_CONFIG.workspaces;

    expect(versionOf({ pageSize: 50 })).toBe(version);
    expect(versionOf({ workspaces: [{ ...acme, processIds: ['proc-a1'] }, ...rest] })).not.toBe(version);
  });

  it('keeps one run per workspace with a lease, not reserved concurrency, and leaves retries to the schedule', () => {
    expect(poller.properties).not.toHaveProperty('ReservedConcurrentExecutions');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: poller.id },
      MaximumRetryAttempts: 0,
    });
  });

  it('keeps a scheduled run that Lambda throttles queued for 6 hours, the longest Lambda allows', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: poller.id },
      MaximumEventAgeInSeconds: 6 * 3600,
    });
  });

  describe('least privilege', () => {
    it('reads only the secrets of the configured workspaces', () => {
      const secretStatements = statementsAllowing(statements, 'secretsmanager:');

      expect(secretStatements).toMatchObject([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue' }]);
      const resources = secretStatements[0]?.Resource as unknown[];
      expect(resources).toHaveLength(3);
      expect(resources).toContainEqual(EXISTING_SECRET_ARN);
      expect(resources).toContainEqual({ Ref: createdSecretId });
      expect(
        resources.map((resource) =>
          typeof resource === 'object' && resource !== null && 'Fn::Join' in resource ? joined(resource) : '',
        ),
      ).toContainEqual(expect.stringMatching(new RegExp(`:secret:${EXISTING_SECRET_NAME}-\\?{6}$`)));
    });

    it('decrypts a secret with its own key only through Secrets Manager', () => {
      expect(statementsAllowing(statements, 'kms:Decrypt')).toContainEqual(
        decryptViaSecretsManager(EXISTING_SECRET_KEY_ARN),
      );
    });

    it('sends its state table exactly the item requests it makes: no scan, stream, condition check or describe', () => {
      const tableStatements = statementsAllowing(statements, 'dynamodb:');

      expect(tableStatements.length).toBeGreaterThan(0);
      for (const statement of tableStatements) {
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
      }
      expect(tableStatements.flatMap(actionsOf).sort()).toEqual(
        [
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ].sort(),
      );
    });

    it('writes its workspace list with a role that may only put and delete items of the CONFIG partition, and log to its own group', () => {
      const writer = functionWhere(template, (p) => JSON.stringify(p.Role).includes('PollerWorkspacesRole'));
      const role = writer.properties.Role;
      const writerLogGroupId = (writer.properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup
        .Ref;

      expect(statementsOfRole(template, role)).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [writerLogGroupId, 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: ['dynamodb:DeleteItem', 'dynamodb:PutItem'],
          Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['CONFIG'] } },
        },
      ]);
      const roleId = (role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(template.findResources('AWS::IAM::Role')[roleId]?.Properties).not.toHaveProperty(
        'ManagedPolicyArns',
      );
    });

    it('publishes only to the change topic, with only that topic key', () => {
      expect(statementsAllowing(statements, 'sns:')).toEqual([
        { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: changeTopicId } },
      ]);
      expect(statementsAllowing(statements, 'kms:GenerateDataKey')).toEqual([
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: { 'Fn::GetAtt': [changeKeyId, 'Arn'] },
        },
      ]);
    });

    it('writes logs only to its own log group', () => {
      expect(statementsAllowing(statements, 'logs:')).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [pollerLogGroupId, 'Arn'] },
        },
      ]);
    });

    it('is granted nothing on "*" and carries no managed policy', () => {
      expect(statements.filter((statement) => JSON.stringify(statement.Resource).includes('"*"'))).toEqual(
        [],
      );
      expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
      const roleId = (poller.properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(template.findResources('AWS::IAM::Role')[roleId]?.Properties).not.toHaveProperty(
        'ManagedPolicyArns',
      );
    });
  });

  describe('validation', () => {
    function propsIn(stack: Stack): PollerProps {
      return {
        table: new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } }),
        topic: new Topic(stack, 'Topic'),
        workspaces: [
          {
            name: 'acme',
            processIds: ['p1'],
            secret: new Secret(stack, 'Secret'),
            secretId: 'x',
            created: true,
          },
        ],
        midaxo: { instance: 'eu' },
      };
    }

    it.each<[string, Partial<PollerProps>, RegExp]>([
      ['a timeout beyond 15 minutes', { timeout: Duration.minutes(20) }, /timeout must be 30 s to 15 min/],
      ['too little memory', { memorySize: 128 }, /memorySize must be a whole number of MB from 256 to 10240/],
      ['a page size of 0', { pageSize: 0 }, /pageSize must be a whole number from 1 to 1000/],
      ['a negative overlap', { overlapSeconds: -1 }, /overlapSeconds must be a whole number from 0 to 86400/],
      [
        'an ignored field with a comma',
        { ignoredFields: ['a,b'] },
        /ignoredFields must be non-empty field names/,
      ],
      [
        'a deletion share over 100 %',
        { deletionGuard: { maxDeletions: 10, maxDeletionsPercent: 120 } },
        /deletionGuard.maxDeletionsPercent must be a whole number from 0 to 100/,
      ],
      ['no workspace', { workspaces: [] }, /at least one workspace is required/],
    ])('refuses %s', (_, overrides, expected) => {
      const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');

      expect(() => new Poller(stack, 'Poller', { ...propsIn(stack), ...overrides })).toThrow(expected);
    });
  });
});
