/**
 * The email digest worker end to end: the real handler (config, middy, renderers, SNS target, drain)
 * invoked with SQS batches as raw delivery fills the target's queue, publishing to the target's own
 * topic, stood in by aws-sdk-client-mock, on a simulated clock (no test waits).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { burstEvents, queuedMessagesOf, sqsEventOf } from '../../../bench/delivery/burst-events.js';
import { createSimulatedClock, type SimulatedClock } from '../../../bench/delivery/simulated-clock.js';
import { createEmailDigestWorkerHandler } from '../../../lambdas/email-digest-worker/create-email-digest-worker-handler.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import type { BatchResponse } from '../../../shared/delivery/drain-to-paced-target.js';
import { renderEmailDigest } from '../../../shared/notifications/email-digest.js';
import { renderEmail } from '../../../shared/notifications/email-message.js';
import { type CapturedOutput, captureOutput } from '../../faults/captured-output.js';
import { changeEventOf } from '../../notifications/sample-events.js';
import { lambdaContext } from '../poller/lambda-context.js';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:deal-team-digest';
const TIMEOUT_MS = 30_000;
const sns = mockClient(SNSClient);

function contextOn(clock: SimulatedClock): Context {
  const deadline = clock.now() + TIMEOUT_MS;
  return {
    ...lambdaContext(TIMEOUT_MS),
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now()),
  };
}

function serviceError(name: string, fault: 'client' | 'server', status: number): Error {
  return Object.assign(new Error(`${name}: the request quoted here`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
  });
}

describe('Email digest worker handler', () => {
  let clock: SimulatedClock;
  let output: CapturedOutput;

  function setUp(env: Record<string, string | undefined> = { DIGEST_TOPIC_ARN: TOPIC_ARN }) {
    const handler = createEmailDigestWorkerHandler({
      env,
      sns: new SNSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
      clock,
      random: () => 0.5,
      logger: new Logger({ serviceName: 'email-digest-worker-test', logLevel: 'DEBUG' }),
    });
    return (event: unknown) => handler(event, contextOn(clock)) as Promise<BatchResponse>;
  }

  const published = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

  beforeEach(() => {
    clock = createSimulatedClock();
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    output = captureOutput();
  });
  afterEach(() => output.restore());

  it("sends a batch of one as today's email of that event, to the target's own topic", async () => {
    const invoke = setUp();
    const event = changeEventOf('updated');

    const response = await invoke(sqsEventOf(queuedMessagesOf([event])));

    const email = renderEmail(event);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published()).toEqual([{ TopicArn: TOPIC_ARN, Subject: email.subject, Message: email.body }]);
    expect(published()[0]?.Subject).toBe('Midaxo: "Project Falcon" updated (owner, stage)');
  });

  it('sends a batch of many as one digest email that counts every event', async () => {
    const invoke = setUp();
    const events = burstEvents(1000);

    const response = await invoke(sqsEventOf(queuedMessagesOf(events)));

    const digest = renderEmailDigest(events);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published()).toEqual([{ TopicArn: TOPIC_ARN, Subject: digest.subject, Message: digest.body }]);
    expect(published()[0]?.Message).toMatch(/^1000 changes to 1000 deals in Midaxo/);
    expect(published()[0]?.Subject?.length).toBeLessThanOrEqual(100);
    expect(published()[0]?.Subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('returns the whole batch when SNS refuses the publish, and names only the error', async () => {
    sns.on(PublishCommand).rejects(serviceError('AuthorizationErrorException', 'client', 403));
    const invoke = setUp();
    const messages = queuedMessagesOf(burstEvents(3));

    const response = await invoke(sqsEventOf(messages));

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(messages.map((m) => m.messageId));
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(output.text()).toMatch(/"level":"ERROR".*Email digest refused.*AuthorizationErrorException/);
    expect(output.text()).not.toContain('the request quoted here');
  });

  it('tries again while SNS throttles, and returns the batch to the queue if it never stops', async () => {
    sns.on(PublishCommand).rejects(serviceError('ThrottledException', 'client', 429));
    const invoke = setUp();
    const messages = queuedMessagesOf(burstEvents(4));

    const response = await invoke(sqsEventOf(messages));

    expect(response.batchItemFailures).toHaveLength(4);
    const attempts = sns.commandCalls(PublishCommand).length;
    expect(attempts).toBeGreaterThan(1);
    // Paused between attempts, not a storm: a 30 s invocation with pauses of 0.5-5 s.
    expect(attempts).toBeLessThan(15);
  });

  it('publishes once SNS stops throttling, within the same invocation', async () => {
    sns
      .on(PublishCommand)
      .rejectsOnce(serviceError('ThrottledException', 'client', 429))
      .resolves({ MessageId: 'sns-2' });
    const invoke = setUp();

    const response = await invoke(sqsEventOf(queuedMessagesOf(burstEvents(5))));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('returns only the message that is no change event, and digests the others', async () => {
    const invoke = setUp();
    const broken = { messageId: 'msg-broken', body: 'not an event' };

    const response = await invoke(sqsEventOf([...queuedMessagesOf(burstEvents(3)), broken]));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-broken' }] });
    expect(published()[0]?.Message).toMatch(/^3 changes to 3 deals/);
  });

  it('refuses to start without a topic ARN, saying what it expected', () => {
    expect(() => setUp({})).toThrow(ConfigError);
    expect(() => setUp({ DIGEST_TOPIC_ARN: 'deal-team' })).toThrow(/ARN of the email target's own SNS topic/);
  });
});
