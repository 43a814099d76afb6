/**
 * The Slack worker end to end: the real handler (config, middy, secret reader, Slack target, renderers,
 * drain) invoked with SQS batches as raw delivery fills the target's queue, posting to a stand-in
 * Slack that takes one message a second with a burst of 10 and answers 429 + Retry-After beyond, on a
 * simulated clock (no test waits). Secrets Manager is stood in by aws-sdk-client-mock.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { burstEvents, queuedMessagesOf, sqsEventOf } from '../../../bench/delivery/burst-events.js';
import { createSimulatedClock, type SimulatedClock } from '../../../bench/delivery/simulated-clock.js';
import { createSlackStandIn, type SlackStandInOptions } from '../../../bench/delivery/slack-stand-in.js';
import { createSlackForwarderHandler } from '../../../lambdas/slack-forwarder/create-slack-forwarder-handler.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import type { BatchResponse } from '../../../shared/delivery/drain-to-paced-target.js';
import { renderSlackDigest } from '../../../shared/notifications/slack-digest.js';
import { renderSlackMessage } from '../../../shared/notifications/slack-message.js';
import { changeEventOf } from '../../notifications/sample-events.js';
import { lambdaContext } from '../poller/lambda-context.js';

const SECRET_ID = 'midaxo/slack-deals';
const WEBHOOK_URL = 'https://hooks.slack.com/services/T0000SECRET/B0000SECRET/xoxSecretToken123';
const TIMEOUT_MS = 60_000;
const secretsManager = mockClient(SecretsManagerClient);

/** A context whose remaining time runs on the simulated clock. */
function contextOn(clock: SimulatedClock, timeoutMs = TIMEOUT_MS): Context {
  const deadline = clock.now() + timeoutMs;
  return { ...lambdaContext(timeoutMs), getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now()) };
}

describe('Slack worker handler', () => {
  let clock: SimulatedClock;
  let written: string[];
  let stdout: MockInstance;
  let stderr: MockInstance;

  function setUp(
    slackOptions: Omit<SlackStandInOptions, 'clock'> = {},
    env = { SLACK_WEBHOOK_SECRET_ID: SECRET_ID },
  ) {
    const slack = createSlackStandIn({ clock, ...slackOptions });
    const handler = createSlackForwarderHandler({
      env,
      secretsManager: new SecretsManagerClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      fetch: slack.fetch,
      clock,
      random: () => 0.5,
      logger: new Logger({ serviceName: 'slack-worker-test', logLevel: 'DEBUG' }),
    });
    const invoke = (event: unknown) => handler(event, contextOn(clock)) as Promise<BatchResponse>;
    return { slack, invoke };
  }

  beforeEach(() => {
    clock = createSimulatedClock();
    secretsManager.reset();
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ webhookUrl: WEBHOOK_URL }) });
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

  it("posts a batch of one as today's single message", async () => {
    const { slack, invoke } = setUp();
    const event = changeEventOf('updated');

    const response = await invoke(sqsEventOf(queuedMessagesOf([event])));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(slack.posted).toEqual([JSON.parse(JSON.stringify(renderSlackMessage(event)))]);
    expect(slack.posted[0]?.text).toBe('Midaxo: "Project Falcon" updated (owner, stage)');
  });

  it('posts a batch of several as one digest that counts every event', async () => {
    const { slack, invoke } = setUp();
    const events = burstEvents(100);

    const response = await invoke(sqsEventOf(queuedMessagesOf(events)));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(slack.posted).toEqual([JSON.parse(JSON.stringify(renderSlackDigest(events)))]);
    expect(JSON.stringify(slack.posted[0])).toContain('100 changes to 100 deals');
  });

  it("turns a burst of 1,000 changes into 10 digests, posted within Slack's rate, none returned, every event counted", async () => {
    // Lambda's event source hands the queue over in batches of 100 (the mapping's batch size).
    const { slack, invoke } = setUp();
    const messages = queuedMessagesOf(burstEvents(1000));
    const start = clock.now();

    const failures = [];
    for (let at = 0; at < messages.length; at += 100) {
      const response = await invoke(sqsEventOf(messages.slice(at, at + 100)));
      failures.push(...response.batchItemFailures);
    }

    expect(failures).toEqual([]);
    expect(slack.posted).toHaveLength(10);
    expect(slack.tally.throttled).toBe(0);
    const counted = slack.posted.map((m) => Number(/(\d+) changes to/.exec(JSON.stringify(m))?.[1]));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(clock.now() - start).toBeLessThan(60_000);
  });

  it('reads the webhook secret once per container, not per invocation', async () => {
    const { slack, invoke } = setUp();

    await invoke(sqsEventOf(queuedMessagesOf([changeEventOf('created')])));
    await invoke(sqsEventOf(queuedMessagesOf([changeEventOf('deleted')])));

    expect(slack.posted).toHaveLength(2);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('rides out a 429 storm from a webhook shared with others: it waits as Retry-After asks, never hammering', async () => {
    // Someone else's app keeps the webhook's bucket empty: the stand-in has no burst left.
    const { slack, invoke } = setUp({ burst: 1, messagesPerSecond: 0.2, retryAfterSeconds: 5 });
    const batches = [burstEvents(30).slice(0, 10), burstEvents(30).slice(10, 20), burstEvents(30).slice(20)];

    const responses = [];
    for (const events of batches) responses.push(await invoke(sqsEventOf(queuedMessagesOf(events))));

    expect(responses).toEqual(batches.map(() => ({ batchItemFailures: [] })));
    expect(slack.posted).toHaveLength(3);
    // Every 429 was followed by the full Retry-After: at most one refused attempt per post here.
    expect(slack.tally.throttled).toBeLessThanOrEqual(2);
    expect(written.join('')).toContain('Slack asked to wait; pausing the target');
  });

  it('keeps every event queued while Slack is down, and posts them once it is back', async () => {
    const backAt = clock.now() + 10 * 60_000;
    const { slack, invoke } = setUp({ isDown: (nowMs) => nowMs < backAt });
    const messages = queuedMessagesOf(burstEvents(20));

    const whileDown = await invoke(sqsEventOf(messages));

    expect(whileDown.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      messages.map((m) => m.messageId),
    );
    expect(slack.posted).toHaveLength(0);
    // Backing off, not one attempt a second for the whole invocation.
    expect(slack.tally.unavailable).toBeLessThan(10);

    clock.advance(10 * 60_000);
    const afterwards = await invoke(sqsEventOf(messages));
    expect(afterwards).toEqual({ batchItemFailures: [] });
    expect(slack.posted).toHaveLength(1);
    expect(JSON.stringify(slack.posted[0])).toContain('20 changes to 20 deals');
  });

  it('returns only the message that is no change event, and digests the others', async () => {
    const { slack, invoke } = setUp();
    const messages = queuedMessagesOf(burstEvents(3));
    const broken = { messageId: 'msg-broken', body: '{"default":"not the event"}' };

    const response = await invoke(sqsEventOf([...messages, broken]));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-broken' }] });
    expect(slack.posted).toHaveLength(1);
    expect(JSON.stringify(slack.posted[0])).toContain('3 changes to 3 deals');
    expect(written.join('')).toMatch(/"level":"ERROR".*Message is no change event.*"messageId":"msg-broken"/);
  });

  it('returns the whole batch when Slack refuses it for good, and logs why', async () => {
    const { slack, invoke } = setUp({ refuses: () => true });
    const messages = queuedMessagesOf(burstEvents(2));

    const response = await invoke(sqsEventOf(messages));

    expect(response.batchItemFailures).toHaveLength(2);
    expect(slack.tally.refused).toBe(1);
    expect(written.join('')).toMatch(/"level":"ERROR".*Slack refused a message.*invalid_blocks/);
  });

  it('never logs the webhook URL or its secret path, whatever happens', async () => {
    const backAt = clock.now() + 30_000;
    const { invoke } = setUp({ isDown: (nowMs) => nowMs < backAt, burst: 1 });
    await invoke(sqsEventOf(queuedMessagesOf(burstEvents(5))));

    expect(written.length).toBeGreaterThan(2);
    expect(written.join('\n')).not.toContain('xoxSecretToken123');
    expect(written.join('\n')).not.toContain('/services/');
  });

  it('sends nothing to a secret holding http://localhost: deployed, it takes https only, and says so', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ webhookUrl: 'http://localhost:8080/services/x' }) });
    const { slack, invoke } = setUp();

    await expect(invoke(sqsEventOf(queuedMessagesOf(burstEvents(2))))).rejects.toThrow(
      new RegExp(`Secret ${SECRET_ID} is malformed.*http:// is refused, even to localhost`),
    );
    expect(slack.posted).toHaveLength(0);
  });

  it('fails on an invocation that is not from SQS, so the batch stays queued', async () => {
    const { invoke } = setUp();
    await expect(invoke({ mode: 'poll' })).rejects.toThrow(/Not an SQS event: Records/);
  });

  it('refuses to start without the secret id, or with the webhook URL in its place', () => {
    expect(() => setUp({}, {} as never)).toThrow(ConfigError);
    expect(() => setUp({}, {} as never)).toThrow(/SLACK_WEBHOOK_SECRET_ID/);
    const withUrl = () => setUp({}, { SLACK_WEBHOOK_SECRET_ID: WEBHOOK_URL });
    expect(withUrl).toThrow(/not a URL: store the webhook URL in the secret/);
    expect(withUrl).not.toThrow(/xoxSecretToken123/);
  });
});
