import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createSlackWebhookUrlReader,
  parseSlackWebhookSecret,
} from '../../../shared/adapters/slack/slack-webhook-secret.js';
import { ConfigError } from '../../../shared/config/config-error.js';

const URL = 'https://hooks.slack.com/services/T000/B000/xoxSecretToken123';
const SECRET_ID = 'midaxo/slack-deals';
const secretsManager = mockClient(SecretsManagerClient);

beforeEach(() => secretsManager.reset());

function reader() {
  return createSlackWebhookUrlReader({
    client: new SecretsManagerClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
    secretId: SECRET_ID,
  });
}

describe('parseSlackWebhookSecret', () => {
  it('takes {"webhookUrl": …} or the plain URL', () => {
    expect(parseSlackWebhookSecret(JSON.stringify({ webhookUrl: URL }), SECRET_ID)).toBe(URL);
    expect(parseSlackWebhookSecret(` ${URL}\n`, SECRET_ID)).toBe(URL);
  });

  it('refuses what is no https URL, naming the secret and never its content', () => {
    const cases = [
      JSON.stringify({ url: URL }),
      'http://hooks.slack.com/services/T000/B000/xoxSecretToken123',
      'https://user:xoxSecretToken123@hooks.slack.com/services/x',
      'https://:xoxSecretToken123@hooks.slack.com/services/x',
      '{"webhookUrl": "xoxSecretToken123"',
      'xoxSecretToken123',
      '',
    ];
    for (const value of cases) {
      const parsing = () => parseSlackWebhookSecret(value, SECRET_ID);
      expect(parsing).toThrow(ConfigError);
      expect(parsing).toThrow(new RegExp(`Secret ${SECRET_ID}`));
      expect(parsing).not.toThrow(/xoxSecretToken123/);
    }
  });

  it('refuses plain http even to loopback: only the deployed worker reads this secret, where localhost is no Slack', () => {
    for (const value of [
      'http://127.0.0.1:8080/services/x',
      'http://localhost/services/x',
      'http://[::1]/s',
    ]) {
      const parsing = () => parseSlackWebhookSecret(JSON.stringify({ webhookUrl: value }), SECRET_ID);
      expect(parsing).toThrow(ConfigError);
      expect(parsing).toThrow(/must be an https:\/\/ URL .*http:\/\/ is refused, even to localhost/);
    }
  });
});

describe('Slack webhook URL reader', () => {
  it('reads the secret once and serves warm invocations from the cache', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ webhookUrl: URL }) });
    const read = reader();

    expect(await read()).toBe(URL);
    expect(await read()).toBe(URL);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ID });
  });

  it('fails naming the secret and what went wrong when it cannot be read', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));

    await expect(reader()()).rejects.toThrow(`Cannot read secret ${SECRET_ID}: ResourceNotFoundException`);
  });
});
