import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlackDeliveryError } from '../../../shared/adapters/slack/slack-delivery-error.js';
import {
  createSlackWebhookPoster,
  type SlackWebhookPosterOptions,
} from '../../../shared/adapters/slack/slack-webhook-poster.js';
import type { SlackMessage } from '../../../shared/notifications/slack-message.js';
import { type FakeSlack, startFakeSlack, WEBHOOK_PATH } from './fake-slack.js';

const message: SlackMessage = {
  text: 'Midaxo: "Project Falcon" updated (stage)',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Project Falcon* was updated.' } }],
};

describe('Slack webhook poster, against a local server standing in for Slack', () => {
  let slack: FakeSlack;
  let clockMs: number;
  const sleep = vi.fn(async (ms: number) => {
    clockMs += ms;
  });
  const onRetry = vi.fn();

  const poster = (options: Partial<SlackWebhookPosterOptions> = {}) =>
    createSlackWebhookPoster({
      webhookUrl: async () => slack.webhookUrl,
      sleep,
      now: () => clockMs,
      random: () => 0.5,
      onRetry,
      ...options,
    });

  /** The error a failed post threw, to assert on it more than once. */
  async function failureOf(posting: Promise<void>): Promise<SlackDeliveryError> {
    const error = await posting.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SlackDeliveryError);
    return error as SlackDeliveryError;
  }

  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.requests.length = 0;
    slack.reply({ status: 200, body: 'ok' });
    clockMs = 1_000_000;
    sleep.mockClear();
    onRetry.mockClear();
  });

  it('posts the Block Kit message as JSON to the webhook', async () => {
    await poster().post(message);

    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request).toMatchObject({ method: 'POST', path: WEBHOOK_PATH });
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request?.body ?? '')).toEqual(message);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('waits as long as a 429 Retry-After asks, then posts again', async () => {
    slack.reply({ status: 429, headers: { 'retry-after': '3' }, body: 'rate_limited' }, { status: 200 });

    await poster().post(message);

    expect(slack.requests).toHaveLength(2);
    expect(sleep).toHaveBeenCalledExactlyOnceWith(3_000);
    expect(onRetry).toHaveBeenCalledWith({ attempt: 1, reason: '429', delayMs: 3_000 });
  });

  it('retries 500 and 503 with backoff until Slack accepts', async () => {
    slack.reply({ status: 500 }, { status: 503 }, { status: 200 });

    await poster().post(message);

    expect(slack.requests).toHaveLength(3);
    // Full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms.
    expect(sleep.mock.calls).toEqual([[250], [500]]);
  });

  it('retries a dropped connection', async () => {
    slack.reply({ drop: true }, { status: 200 });

    await poster().post(message);

    expect(slack.requests).toHaveLength(2);
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 1, reason: expect.any(String) }));
  });

  it('retries a request Slack does not answer in time', async () => {
    slack.reply({ hang: true }, { status: 200 });

    await poster({ requestTimeoutMs: 200 }).post(message);

    expect(slack.requests).toHaveLength(2);
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ reason: 'TimeoutError' }));
  });

  it('fails after the last attempt when Slack keeps answering 500', async () => {
    slack.reply({ status: 500, body: 'internal error' });

    const error = await failureOf(poster().post(message));

    expect(slack.requests).toHaveLength(5);
    expect(error).toMatchObject({ status: 500, attempts: 5 });
    expect(error.message).toMatch(/after 5 attempts \(last: HTTP 500\)/);
  });

  it('fails at once, without waiting, when Retry-After asks for longer than the retry budget', async () => {
    slack.reply({ status: 429, headers: { 'retry-after': '60' } });

    const error = await failureOf(poster({ budgetMs: 20_000 }).post(message));

    expect(slack.requests).toHaveLength(1);
    expect(sleep).not.toHaveBeenCalled();
    expect(error).toMatchObject({ status: 429, attempts: 1 });
    expect(error.message).toMatch(/in 60 s, would pass the 20 s retry budget/);
  });

  it('stops retrying when the next backoff would pass the retry budget', async () => {
    slack.reply({ status: 502 });

    const error = await failureOf(
      poster({
        budgetMs: 3_000,
        random: () => 0.99,
        backoff: { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 8_000 },
      }).post(message),
    );

    // Waits of 990 and 1980 ms fit in 3 s; the third (3960 ms) would not.
    expect(sleep.mock.calls).toEqual([[990], [1_980]]);
    expect(slack.requests).toHaveLength(3);
    expect(error.attempts).toBe(3);
  });

  it('does not retry what Slack refuses for good, and says why', async () => {
    slack.reply({ status: 400, body: 'invalid_blocks' });

    const error = await failureOf(poster().post(message));

    expect(slack.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 400, attempts: 1 });
    expect(error.message).toMatch(/HTTP 400 \(invalid_blocks\); not retried/);
  });

  it.each([301, 302, 307, 308])(
    'fails on a %i redirect instead of posting the message elsewhere',
    async (status) => {
      const elsewhere = await startFakeSlack();
      slack.reply({ status, headers: { location: elsewhere.webhookUrl } });

      const error = await failureOf(poster().post(message)).finally(() => elsewhere.close());

      expect(elsewhere.requests).toHaveLength(0);
      expect(slack.requests).toHaveLength(1);
      expect(error).toMatchObject({ status, attempts: 1 });
      expect(error.message).toContain(
        `Slack answered with a redirect (HTTP ${status}), which is not followed`,
      );
      expect(sleep).not.toHaveBeenCalled();
    },
  );

  it('quotes no error answer but a plain code', async () => {
    slack.reply({ status: 400, body: `\u001b]0;owned\u0007${'x'.repeat(100_000)}` });

    const error = await failureOf(poster().post(message));

    expect(error.message).toBe(
      'Slack refused the message with HTTP 400; not retried, as it would fail the same way',
    );
  });

  it('never puts the webhook URL into an error or a retry notice', async () => {
    slack.reply({ status: 503 }, { drop: true }, { status: 404, body: 'no_service' });

    const error = await failureOf(poster().post(message));

    const said = [error.message, error.stack ?? '', JSON.stringify(onRetry.mock.calls)].join('\n');
    expect(said).not.toContain('SECRET');
    expect(said).not.toContain('xoxSecretToken123');
    expect(said).not.toContain('127.0.0.1');
  });
});
