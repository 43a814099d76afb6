/**
 * The Slack forwarder end to end: the real handler (config, middy, secret reader, poster, renderer)
 * invoked with SNS events carrying messages as the real publisher builds them, posting to a local
 * server standing in for Slack. Secrets Manager is stood in by aws-sdk-client-mock.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import { createSlackForwarderHandler } from '../../../lambdas/slack-forwarder/create-slack-forwarder-handler.js';
import { SlackDeliveryError } from '../../../shared/adapters/slack/slack-delivery-error.js';
import { defaultBodyOf, toSnsMessage } from '../../../shared/adapters/sns/sns-message.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import type { ChangeEvent } from '../../../shared/core/change-event.js';
import { InvalidChangeEventError } from '../../../shared/notifications/change-event-schema.js';
import type { ForwardedEvent } from '../../../shared/notifications/forward-to-slack.js';
import { type FakeSlack, startFakeSlack } from '../../adapters/slack/fake-slack.js';
import { changeEventOf } from '../../notifications/sample-events.js';
import { lambdaContext } from '../poller/lambda-context.js';

const SECRET_ID = 'midaxo/slack-deals';
const secretsManager = mockClient(SecretsManagerClient);

/** The event Lambda receives from SNS: the message's `default` body, as Lambda has no key of its own. */
function snsEventOf(...events: ChangeEvent[]): SNSEvent {
  return {
    Records: events.map((event, n) => {
      const message = toSnsMessage(event);
      return {
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:changes:sub',
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: '2',
          Timestamp: '2026-11-27T09:35:01.000Z',
          Signature: 'c2ln',
          SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/cert.pem',
          MessageId: `sns-message-${n}`,
          Message: defaultBodyOf(message.Message),
          MessageAttributes: {},
          Type: 'Notification',
          UnsubscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
          TopicArn: 'arn:aws:sns:eu-west-1:123456789012:changes',
          Subject: message.Subject,
        },
      };
    }),
  };
}

describe('Slack forwarder handler', () => {
  let slack: FakeSlack;
  let written: string[];
  let stdout: MockInstance;
  let stderr: MockInstance;
  const sleep = vi.fn(async (_ms: number) => {});

  const createHandler = (env: Record<string, string | undefined> = { SLACK_WEBHOOK_SECRET_ID: SECRET_ID }) =>
    createSlackForwarderHandler({
      env,
      secretsManager: new SecretsManagerClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      sleep,
      logger: new Logger({ serviceName: 'slack-forwarder-test', logLevel: 'DEBUG' }),
    });
  const invoke = (handler: ReturnType<typeof createHandler>, event: unknown) =>
    handler(event, lambdaContext(30_000)) as Promise<ForwardedEvent[]>;

  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ webhookUrl: slack.webhookUrl }),
    });
    slack.requests.length = 0;
    slack.reply({ status: 200, body: 'ok' });
    sleep.mockClear();
    written = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
  });

  it('posts each change event to Slack as Block Kit and logs what it posted', async () => {
    const event = changeEventOf('updated');

    const forwarded = await invoke(createHandler(), snsEventOf(event));

    expect(forwarded).toEqual([
      { eventId: event.id, type: 'com.midaxo.project.updated', projectId: 'prj-000001' },
    ]);
    expect(slack.requests).toHaveLength(1);
    const posted = JSON.parse(slack.requests[0]?.body ?? '');
    expect(posted.text).toBe('Midaxo: "Project Falcon" updated (owner, stage)');
    expect(posted.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Updated: Project Falcon', emoji: false },
    });
    expect(written.join('')).toMatch(
      /"message":"Posted change event to Slack".*"snsMessageId":"sns-message-0"/,
    );
  });

  it('reads the webhook secret once per container, not per invocation', async () => {
    const handler = createHandler();

    await invoke(handler, snsEventOf(changeEventOf('created')));
    await invoke(handler, snsEventOf(changeEventOf('deleted')));

    expect(slack.requests).toHaveLength(2);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('rides out Slack’s rate limit, waiting as long as Retry-After asks', async () => {
    slack.reply({ status: 429, headers: { 'retry-after': '2' } }, { status: 200 });

    await invoke(createHandler(), snsEventOf(changeEventOf('updated')));

    expect(slack.requests).toHaveLength(2);
    expect(sleep).toHaveBeenCalledExactlyOnceWith(2_000);
    expect(written.join('')).toContain('Slack did not accept the message; retrying');
  });

  it('fails the invocation when Slack keeps answering 500, so Lambda retries and then dead-letters it', async () => {
    slack.reply({ status: 500 });

    await expect(invoke(createHandler(), snsEventOf(changeEventOf('updated')))).rejects.toThrow(
      SlackDeliveryError,
    );
    expect(slack.requests.length).toBeGreaterThan(1);
    expect(written.join('')).toMatch(/"level":"ERROR".*Change event not posted to Slack/);
  });

  it('never logs the webhook URL or its secret path, whatever happens', async () => {
    const handler = createHandler();
    slack.reply({ status: 429, headers: { 'retry-after': '1' } }, { drop: true }, { status: 200 });
    await invoke(handler, snsEventOf(changeEventOf('updated')));
    slack.reply({ status: 404, body: 'no_service' });
    const failure = await invoke(handler, snsEventOf(changeEventOf('deleted'))).catch((e: unknown) => e);

    const everything = [...written, String(failure), (failure as Error).stack ?? ''].join('\n');
    expect(written.length).toBeGreaterThan(2);
    expect(everything).not.toContain('xoxSecretToken123');
    expect(everything).not.toContain('/services/');
  });

  it('fails on a message that is no change event, without posting', async () => {
    const event = snsEventOf(changeEventOf('updated'));
    const record = event.Records[0];
    if (record) record.Sns.Message = '{"default":"not the event"}';

    await expect(invoke(createHandler(), event)).rejects.toThrow(InvalidChangeEventError);
    expect(slack.requests).toHaveLength(0);
  });

  it('fails on an invocation that is not from SNS', async () => {
    await expect(invoke(createHandler(), { mode: 'poll' })).rejects.toThrow(/Not an SNS event: Records/);
  });

  it('refuses to start without the secret id, or with the webhook URL in its place', () => {
    expect(() => createHandler({})).toThrow(ConfigError);
    expect(() => createHandler({})).toThrow(/SLACK_WEBHOOK_SECRET_ID/);
    const withUrl = () =>
      createHandler({ SLACK_WEBHOOK_SECRET_ID: 'https://hooks.slack.com/services/T/B/xoxSecretToken123' });
    expect(withUrl).toThrow(/not a URL: store the webhook URL in the secret/);
    expect(withUrl).not.toThrow(/xoxSecretToken123/);
  });
});
