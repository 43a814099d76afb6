/**
 * The custom resource that gives a created webhook signing secret its first key: the real handler, as
 * CloudFormation invokes it, with Secrets Manager mocked and CloudFormation's response URL recorded.
 */
import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { createWebhookKeyHandler } from '../../../lambdas/webhook-key-generator/create-webhook-key-handler.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:WebhookcrmSigningSecret-AbC123';
const RESPONSE_URL =
  'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/answer?X-Amz-Signature=abc';
const secretsManager = mockClient(SecretsManagerClient);

interface Answer {
  readonly url: string;
  readonly method: string | undefined;
  readonly body: Record<string, unknown>;
}

function request(type: 'Create' | 'Update' | 'Delete', extra: Record<string, unknown> = {}) {
  return {
    RequestType: type,
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:WebhookKeyGenerator',
    ResponseURL: RESPONSE_URL,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/MidaxoChangeNotifier/1',
    RequestId: `request-${type}`,
    LogicalResourceId: 'NotificationsWebhookcrmSigningKeyDA123762',
    ResourceType: 'Custom::WebhookSigningKey',
    ResourceProperties: { ServiceToken: 'x', SecretArn: SECRET_ARN },
    ...(type === 'Create' ? {} : { PhysicalResourceId: SECRET_ARN }),
    ...extra,
  };
}

function setUp() {
  const answers: Answer[] = [];
  const logged: string[] = [];
  const handler = createWebhookKeyHandler({
    secretsManager: new SecretsManagerClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
    fetch: async (input, init) => {
      answers.push({ url: String(input), method: init?.method, body: JSON.parse(String(init?.body)) });
      return new Response(null, { status: 200 });
    },
    log: (line) => logged.push(line),
  });
  return { handler, answers, logged };
}

const putValues = () =>
  secretsManager.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input.SecretString ?? '');

beforeEach(() => {
  secretsManager.reset();
  secretsManager.on(PutSecretValueCommand).resolves({});
});

describe('webhook signing key custom resource', () => {
  it('puts {"current": "whsec_…"} into an empty secret: a random 32-byte key the standardwebhooks library takes', async () => {
    secretsManager.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, VersionIdsToStages: {} });
    const { handler, answers, logged } = setUp();

    await handler(request('Create'));
    await handler(request('Create'));

    const values = putValues().map((text) => JSON.parse(text) as { current: string });
    expect(values).toHaveLength(2);
    for (const value of values) {
      expect(Object.keys(value)).toEqual(['current']);
      const { current } = value;
      expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(current.slice('whsec_'.length), 'base64')).toHaveLength(32);
      const signed = new Webhook(current).sign('evt-1', new Date(), '{}');
      expect(signed).toMatch(/^v1,/);
    }
    expect(values[0]?.current).not.toBe(values[1]?.current);
    expect(answers[0]).toEqual({
      url: RESPONSE_URL,
      method: 'PUT',
      body: {
        Status: 'SUCCESS',
        PhysicalResourceId: SECRET_ARN,
        StackId: request('Create').StackId,
        RequestId: 'request-Create',
        LogicalResourceId: request('Create').LogicalResourceId,
      },
    });
    expect(logged.join('\n')).not.toMatch(/whsec_/);
  });

  it('never overwrites a key that is there: an update after a rotation keeps it', async () => {
    secretsManager
      .on(DescribeSecretCommand)
      .resolves({ ARN: SECRET_ARN, VersionIdsToStages: { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] } });
    const { handler, answers } = setUp();

    await handler(request('Update'));
    await handler(request('Create'));

    expect(putValues()).toEqual([]);
    expect(answers.map((a) => a.body.Status)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('leaves the secret to its removal policy on delete', async () => {
    const { handler, answers } = setUp();

    await handler(request('Delete'));

    expect(secretsManager.calls()).toHaveLength(0);
    expect(answers[0]?.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: SECRET_ARN });
  });

  it('lets the stack go on delete even when the properties no longer name a secret', async () => {
    const { handler, answers } = setUp();

    await handler(request('Delete', { ResourceProperties: { SecretArn: 'crm-signing-key' } }));
    await handler(request('Delete', { ResourceProperties: {} }));

    expect(secretsManager.calls()).toHaveLength(0);
    expect(answers.map((a) => a.body)).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: SECRET_ARN }),
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: SECRET_ARN }),
    ]);
  });

  it.each([
    ['a partial ARN, which could name another secret', SECRET_ARN.replace(/-AbC123$/, '')],
    ['an ARN of another service', 'arn:aws:sns:eu-west-1:123456789012:WebhookcrmSigningSecret-AbC123'],
    ['an ARN with no account', 'arn:aws:secretsmanager:eu-west-1::secret:WebhookcrmSigningSecret-AbC123'],
  ])('refuses %s on create and update without calling Secrets Manager', async (_, secretArn) => {
    const { handler, answers } = setUp();

    await handler(request('Create', { ResourceProperties: { SecretArn: secretArn } }));
    await handler(request('Update', { ResourceProperties: { SecretArn: secretArn } }));

    expect(secretsManager.calls()).toHaveLength(0);
    for (const answer of answers) {
      expect(answer.body).toMatchObject({ Status: 'FAILED' });
      expect(String(answer.body.Reason)).toContain(
        "SecretArn: expected the ARN of the stack's signing secret",
      );
    }
    expect(answers).toHaveLength(2);
  });

  it('answers FAILED with the reason when Secrets Manager refuses, so the deploy fails at once', async () => {
    const denied = Object.assign(new Error('not authorized to perform secretsmanager:PutSecretValue'), {
      name: 'AccessDeniedException',
    });
    secretsManager.on(DescribeSecretCommand).resolves({ VersionIdsToStages: {} });
    secretsManager.on(PutSecretValueCommand).rejects(denied);
    const { handler, answers } = setUp();

    await handler(request('Create'));

    expect(answers[0]?.body).toMatchObject({
      Status: 'FAILED',
      Reason: 'AccessDeniedException',
      PhysicalResourceId: request('Create').LogicalResourceId,
    });
  });

  it('reports an AWS error by its name alone: a message quoting the key being put never reaches the stack events', async () => {
    secretsManager.on(DescribeSecretCommand).resolves({ VersionIdsToStages: {} });
    secretsManager.on(PutSecretValueCommand).callsFake((input: { SecretString?: string }) => {
      throw Object.assign(new Error(`Invalid SecretString ${input.SecretString}`), {
        name: 'InvalidRequestException',
      });
    });
    const { handler, answers, logged } = setUp();

    await handler(request('Create'));

    const [putValue] = putValues();
    expect(putValue).toMatch(/whsec_/);
    expect(answers[0]?.body).toMatchObject({ Status: 'FAILED', Reason: 'InvalidRequestException' });
    const everythingShown = JSON.stringify(answers) + logged.join('\n');
    expect(everythingShown).not.toContain('whsec_');
    expect(everythingShown).not.toContain(JSON.parse(putValue ?? '{}').current);
  });

  it('answers FAILED when the properties name no secret ARN, and throws on what is no CloudFormation request', async () => {
    const { handler, answers } = setUp();

    await handler(request('Create', { ResourceProperties: { SecretArn: 'crm-signing-key' } }));
    expect(answers[0]?.body).toMatchObject({ Status: 'FAILED' });
    expect(String(answers[0]?.body.Reason)).toContain(
      "SecretArn: expected the ARN of the stack's signing secret",
    );

    await expect(handler({ RequestType: 'Create', ResponseURL: 'http://127.0.0.1/answer' })).rejects.toThrow(
      /Not a CloudFormation custom resource request:\n- ResponseURL: expected the https:\/\/ URL/,
    );
    expect(answers).toHaveLength(1);
  });
});
