/**
 * The reference consumer's infrastructure: template assertions on the stack the example app deploys
 * (cdk.json's feature flags, bundling skipped), cdk-nag, and once with the real esbuild bundle, run
 * outside the repository against DynamoDB Local.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ChangeConsumer } from '../../../examples/change-consumer/change-consumer-construct.js';
import {
  ChangeConsumerStack,
  changeTopicArnOf,
} from '../../../examples/change-consumer/change-consumer-stack.js';
import {
  IDEMPOTENCY_TABLE,
  idempotencyTableDefinition,
  projectKeyOf,
  projectsTableDefinition,
} from '../../../examples/change-consumer/consumer-tables.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import { cdkJsonContext } from '../../infra/cdk-json.js';
import { createLocalDynamoDbClient, createTable } from '../../support/dynamodb-test-table.js';
import { changeEvent, deliveryOf, sequenceOf } from './sample-deliveries.js';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:MidaxoChangeNotifier-ChangesTopic-AbC123';
const DESCRIPTION = 'Applies Midaxo change events from its queue in order, each once';

function consumerStack(
  context: Record<string, unknown> = { 'aws:cdk:bundling-stacks': [] },
  outdir?: string,
) {
  const app = new App({ context: { ...cdkJsonContext(), ...context }, ...(outdir ? { outdir } : {}) });
  const stack = new ChangeConsumerStack(app, 'MidaxoChangeConsumer', { changeTopicArn: TOPIC_ARN });
  return { app, stack, template: Template.fromStack(stack) };
}

const { stack, template } = consumerStack();

function onlyLogicalId(type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0] ?? '';
}

function queueIds() {
  const queues = template.findResources('AWS::SQS::Queue');
  const [queueId] = Object.entries(queues).find(([, queue]) => queue.Properties.RedrivePolicy) ?? [];
  const deadLetterId = Object.keys(queues).find((id) => id !== queueId);
  return { queueId: queueId ?? '', deadLetterId: deadLetterId ?? '' };
}

function tableId(partitionKey: string): string {
  const [id] =
    Object.entries(template.findResources('AWS::DynamoDB::Table')).find(
      ([, table]) =>
        (table.Properties.KeySchema as { AttributeName: string }[])[0]?.AttributeName === partitionKey,
    ) ?? [];
  return id ?? '';
}

const { queueId, deadLetterId } = queueIds();
const functionId = onlyLogicalId('AWS::Lambda::Function');
const functionProperties = template.findResources('AWS::Lambda::Function')[functionId]?.Properties ?? {};
const idempotencyTableId = tableId(IDEMPOTENCY_TABLE.partitionKey);
const projectsTableId = tableId('projectKey');

describe('ChangeConsumer', () => {
  it('deploys into the account and region of the change topic', () => {
    expect(stack.account).toBe('111122223333');
    expect(stack.region).toBe('eu-west-1');
  });

  it('subscribes its queue to the change topic with raw message delivery, dead-lettering what SNS cannot deliver', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: TOPIC_ARN,
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      RawMessageDelivery: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': TOPIC_ARN } },
          }),
        ]),
      },
    });
  });

  it('keeps events two weeks, encrypted and over TLS only, and moves one that failed 5 deliveries to the dead-letter queue', () => {
    const queues = template.findResources('AWS::SQS::Queue');

    expect(queues[queueId]?.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(queues[deadLetterId]?.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    for (const id of [queueId, deadLetterId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('reads the queue in batches of 10, reporting failed messages only (partial batch response)', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('runs the consumer handler with the shared Lambda defaults, its own service name and its two table names', () => {
    expect(functionProperties).toMatchObject({
      Description: expect.stringContaining(DESCRIPTION),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 30,
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps --max-old-space-size=192',
          POWERTOOLS_SERVICE_NAME: 'midaxo-change-consumer',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          IDEMPOTENCY_TABLE_NAME: { Ref: idempotencyTableId },
          PROJECTS_TABLE_NAME: { Ref: projectsTableId },
        },
      },
    });
  });

  it('keeps processed ids in a table that expires them (TTL) and is deleted with the stack; keeps the projects table', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');

    expect(tables[idempotencyTableId]).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
    expect(tables[projectsTableId]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [{ AttributeName: 'projectKey', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it('may do nothing but write its logs, consume its queue, keep idempotency records and update project items', () => {
    const roleId = (functionProperties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    );
    const statements = policies.flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement,
    );

    expect(statements).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
      {
        Effect: 'Allow',
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': [idempotencyTableId, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: { 'Fn::GetAtt': [projectsTableId, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
    ]);
  });

  it('passes the cdk-nag AWS Solutions checks the notifier stack passes', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);

    expect(report.violations.map((violation) => `${violation.severity} ${violation.ruleName}`)).toEqual([]);
  });

  it.each([
    [{ maxReceiveCount: 0 }, 'maxReceiveCount must be a whole number from 1 to 1000, got 0'],
    [{ batchSize: 11 }, 'batchSize must be a whole number from 1 to 10, got 11'],
  ])('refuses %o', (props, message) => {
    const scope = new Stack(new App());

    expect(
      () => new ChangeConsumer(scope, 'Consumer', { topic: new Topic(scope, 'Topic'), ...props }),
    ).toThrow(`ChangeConsumer: ${message}`);
  });
});

describe('the change consumer app', () => {
  it.each([
    [undefined, '-c changeTopicArn=<ARN>'],
    ['arn:aws:sqs:eu-west-1:111122223333:queue', 'changeTopicArn must be an SNS topic ARN'],
  ])('refuses the topic ARN %s with what to pass instead', (changeTopicArn, message) => {
    const app = new App({ context: changeTopicArn === undefined ? {} : { changeTopicArn } });

    expect(() => changeTopicArnOf(app)).toThrow(ConfigError);
    expect(() => changeTopicArnOf(app)).toThrow(message);
  });
});

describe('the bundled consumer', () => {
  const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
  const outdir = mkdtempSync(join(tmpdir(), 'consumer-cdk-out-'));
  afterAll(() => {
    client.destroy();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('loads outside the repository and applies an event to DynamoDB Local', {
    timeout: 180_000,
  }, async () => {
    const bundled = consumerStack({}, outdir);
    const assembly = bundled.app.synth();
    const code = bundled.template.findResources('AWS::Lambda::Function')[functionId]?.Properties.Code as {
      S3Key: string;
    };
    const bundle = join(assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
    const [idempotencyTableName, projectsTableName] = await Promise.all([
      createTable(client, idempotencyTableDefinition, { timeToLive: IDEMPOTENCY_TABLE.timeToLive }),
      createTable(client, projectsTableDefinition),
    ]);
    const event = changeEvent({ projectId: 'prj-bundled', sequence: 3, project: { name: 'Falcon' } });

    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
         const context = { functionName: 'consumer', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 30000 };
         process.stdout.write(JSON.stringify(await handler(${JSON.stringify(deliveryOf(event))}, context)));`,
      ],
      {
        cwd: outdir,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          IDEMPOTENCY_TABLE_NAME: idempotencyTableName,
          PROJECTS_TABLE_NAME: projectsTableName,
        },
      },
    );

    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
    const { Item } = await DynamoDBDocumentClient.from(client).send(
      new GetCommand({
        TableName: projectsTableName,
        Key: { projectKey: projectKeyOf('proc-emea', 'prj-bundled') },
        ConsistentRead: true,
      }),
    );
    expect(Item).toMatchObject({ appliedSequence: sequenceOf(3), appliedEventId: event.id });
  });
});
