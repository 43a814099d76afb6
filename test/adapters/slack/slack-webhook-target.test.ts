import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createSlackWebhookTarget,
  type SlackWebhookTargetOptions,
} from '../../../shared/adapters/slack/slack-webhook-target.js';
import type { SlackMessage } from '../../../shared/notifications/slack-message.js';
import { type FakeSlack, startFakeSlack, WEBHOOK_PATH } from './fake-slack.js';

const message: SlackMessage = {
  text: 'Midaxo: "Project Falcon" updated (stage)',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Project Falcon* was updated.' } }],
};

describe('Slack webhook target, against a local server standing in for Slack', () => {
  let slack: FakeSlack;
  const target = (options: Partial<SlackWebhookTargetOptions> = {}) =>
    createSlackWebhookTarget({ webhookUrl: async () => slack.webhookUrl, now: () => 1_000_000, ...options });

  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.requests.length = 0;
    slack.reply({ status: 200, body: 'ok' });
  });

  it('posts the Block Kit message as JSON to the webhook, once', async () => {
    expect(await target().send(message)).toEqual({ kind: 'delivered' });

    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request).toMatchObject({ method: 'POST', path: WEBHOOK_PATH });
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request?.body ?? '')).toEqual(message);
  });

  it('passes on the wait a 429 Retry-After asks for, without retrying itself', async () => {
    slack.reply({ status: 429, headers: { 'retry-after': '3' }, body: 'rate_limited' });

    expect(await target().send(message)).toEqual({ kind: 'retry', reason: '429', retryAfterMs: 3_000 });
    expect(slack.requests).toHaveLength(1);
  });

  it.each([500, 503])('asks to retry a %i later', async (status) => {
    slack.reply({ status });

    expect(await target().send(message)).toEqual({ kind: 'retry', reason: String(status) });
  });

  it('asks to retry a dropped connection and a request Slack does not answer in time', async () => {
    slack.reply({ drop: true }, { hang: true });

    expect(await target().send(message)).toMatchObject({ kind: 'retry' });
    expect(await target({ requestTimeoutMs: 200 }).send(message)).toEqual({
      kind: 'retry',
      reason: 'TimeoutError',
    });
  });

  it('rejects what Slack refuses for good, and says why', async () => {
    slack.reply({ status: 400, body: 'invalid_blocks' });

    const outcome = await target().send(message);

    expect(outcome).toMatchObject({ kind: 'rejected' });
    expect(JSON.stringify(outcome)).toMatch(/HTTP 400 \(invalid_blocks\); not retried/);
  });

  it.each([301, 302, 307, 308])(
    'rejects a %i redirect instead of posting the message elsewhere',
    async (status) => {
      const elsewhere = await startFakeSlack();
      slack.reply({ status, headers: { location: elsewhere.webhookUrl } });

      const outcome = await target()
        .send(message)
        .finally(() => elsewhere.close());

      expect(elsewhere.requests).toHaveLength(0);
      expect(outcome).toEqual({
        kind: 'rejected',
        reason: `Slack answered with a redirect (HTTP ${status}), which is not followed: check the webhook URL`,
      });
    },
  );

  it('quotes no error answer but a plain code, and never the webhook URL', async () => {
    slack.reply(
      { status: 400, body: `\u001b]0;owned\u0007${'x'.repeat(100_000)}` },
      { status: 404, body: 'no_service' },
    );

    const outcomes = [
      await target().send(message),
      await target().send(message),
      await target().send(message),
    ];

    expect(outcomes[0]).toEqual({
      kind: 'rejected',
      reason: 'Slack refused the message with HTTP 400; not retried, as it would fail the same way',
    });
    const said = JSON.stringify(outcomes);
    expect(said).not.toContain('SECRET');
    expect(said).not.toContain('xoxSecretToken123');
    expect(said).not.toContain('127.0.0.1');
  });
});
