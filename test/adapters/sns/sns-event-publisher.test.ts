import {
  AuthorizationErrorException,
  PublishBatchCommand,
  type PublishBatchCommandInput,
  type PublishBatchRequestEntry,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PublishError } from '../../../shared/adapters/sns/publish-error.js';
import { createSnsEventPublisher } from '../../../shared/adapters/sns/sns-event-publisher.js';
import {
  defaultBodyOf,
  snsMessageSizeBytes,
  toSnsMessage,
} from '../../../shared/adapters/sns/sns-message.js';
import type { ChangeEvent, ChangeKind, FieldChange } from '../../../shared/core/change-event.js';
import type { JsonObject } from '../../../shared/core/json.js';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:midaxo-changes';
const sns = mockClient(SNSClient);
const client = new SNSClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const sleep = vi.fn(async (_ms: number) => {});

beforeEach(() => {
  sns.reset();
  sleep.mockClear();
});

function createPublisher(maxPayloadBytes?: number) {
  return createSnsEventPublisher({
    client,
    topicArn: TOPIC_ARN,
    sleep,
    backoff: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    ...(maxPayloadBytes === undefined ? {} : { maxPayloadBytes }),
  });
}

function changeEvent(
  n: number,
  options: { kind?: ChangeKind; changes?: FieldChange[]; project?: JsonObject } = {},
): ChangeEvent {
  const kind = options.kind ?? 'updated';
  const projectId = `project-${n}`;
  return {
    specversion: '1.0',
    id: `event-${n}`,
    source: `https://api.app-eu.midaxo.com/processes/process-1/projects/${projectId}`,
    type: `com.midaxo.project.${kind}`,
    subject: projectId,
    sequence: '00000000000000000001',
    time: '2024-05-01T10:00:00.000Z',
    datacontenttype: 'application/json',
    data: {
      processId: 'process-1',
      projectId,
      changes: options.changes ?? [{ path: '/name', before: 'Old', after: 'New' }],
      project: options.project ?? { id: projectId, name: 'New' },
    },
  };
}

function events(count: number): ChangeEvent[] {
  return Array.from({ length: count }, (_, n) => changeEvent(n));
}

function sentEntries(): PublishBatchRequestEntry[][] {
  return sns
    .commandCalls(PublishBatchCommand)
    .map((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
}

function eventIdsOf(entries: readonly PublishBatchRequestEntry[]): string[] {
  return entries.map((entry) => (JSON.parse(defaultBodyOf(entry.Message ?? '')) as ChangeEvent).id);
}

/** Accepts every entry of each call. */
function acceptAll(input: PublishBatchCommandInput) {
  return {
    Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
  };
}

describe('SNS event publisher', () => {
  it('publishes 23 events in 3 PublishBatch calls of 10, 10 and 3', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAll);

    await createPublisher().publish(events(23));

    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
    expect(sentEntries().map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(sentEntries().flatMap(eventIdsOf)).toEqual(events(23).map((event) => event.id));
    for (const entries of sentEntries()) {
      expect(new Set(entries.map((entry) => entry.Id)).size).toBe(entries.length);
    }
  });

  it('sends the CloudEvents document as the default message, to the configured topic', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAll);
    const event = changeEvent(1);

    await createPublisher().publish([event]);

    expect(sns).toHaveReceivedCommandWith(PublishBatchCommand, { TopicArn: TOPIC_ARN });
    const [[entry]] = sentEntries() as [[PublishBatchRequestEntry]];
    expect(JSON.parse(defaultBodyOf(entry.Message ?? ''))).toEqual(event);
    expect(entry.MessageStructure).toBe('json');
  });

  it('adds the attributes subscribers filter on: event type, process and changed top-level fields', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAll);
    const event = changeEvent(1, {
      changes: [
        { path: '/stage/id', before: 's1', after: 's2' },
        { path: '/name', before: 'A', after: 'B' },
        { path: '/stage/name', before: 'Lead', after: 'Won' },
      ],
    });

    await createPublisher().publish([event]);

    const [[entry]] = sentEntries() as [[PublishBatchRequestEntry]];
    expect(entry.MessageAttributes).toEqual({
      eventType: { DataType: 'String', StringValue: 'updated' },
      processId: { DataType: 'String', StringValue: 'process-1' },
      changedFields: { DataType: 'String.Array', StringValue: '["name","stage"]' },
    });
  });

  it('always sends changedFields: a deletion lists its last snapshot\'s fields, an unknown diff says "*"', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAll);
    const unknownDiff = changeEvent(2, { changes: [] });

    await createPublisher().publish([
      changeEvent(1, { kind: 'deleted', changes: [] }),
      { ...unknownDiff, data: { ...unknownDiff.data, diffUnavailable: true } },
    ]);

    const [entries] = sentEntries() as [PublishBatchRequestEntry[]];
    expect(entries.map((entry) => entry.MessageAttributes?.changedFields)).toEqual([
      { DataType: 'String.Array', StringValue: '["id","name"]' },
      { DataType: 'String.Array', StringValue: '["*"]' },
    ]);
  });

  it('resends only the entries SNS failed, until they are accepted', async () => {
    let call = 0;
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      call++;
      const entries = input.PublishBatchRequestEntries ?? [];
      if (call > 1) return acceptAll(input);
      return {
        Successful: entries.slice(2).map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
        Failed: entries.slice(0, 2).map((entry) => ({
          Id: entry.Id,
          Code: 'InternalError',
          Message: 'try again',
          SenderFault: false,
        })),
      };
    });

    await createPublisher().publish(events(5));

    const [first, retry] = sentEntries();
    expect(sentEntries()).toHaveLength(2);
    expect(eventIdsOf(retry ?? [])).toEqual(['event-0', 'event-1']);
    expect(retry?.map((entry) => entry.Id)).toEqual(first?.slice(0, 2).map((entry) => entry.Id));
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('fails naming the events and SNS codes still failing after every attempt', async () => {
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      const entries = input.PublishBatchRequestEntries ?? [];
      const failing = entries.filter((entry) => eventIdsOf([entry])[0] === 'event-3');
      return {
        Successful: entries
          .filter((entry) => !failing.includes(entry))
          .map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
        Failed: failing.map((entry) => ({ Id: entry.Id, Code: 'KMSThrottling', SenderFault: false })),
      };
    });

    const publishing = createPublisher().publish(events(4));

    await expect(publishing).rejects.toThrow(PublishError);
    await expect(publishing).rejects.toMatchObject({
      name: 'PublishError',
      failures: [{ eventId: 'event-3', code: 'KMSThrottling' }],
    });
    await expect(publishing).rejects.toThrow(/event-3 \(KMSThrottling\)/);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
  });

  it('counts an entry SNS answered neither way as failed, never as published', async () => {
    sns.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });

    await expect(createPublisher().publish(events(1))).rejects.toMatchObject({
      failures: [{ eventId: 'event-0', code: 'NoResult' }],
    });
  });

  it('does not resend an entry SNS rejected as the sender’s fault', async () => {
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
      Failed: (input.PublishBatchRequestEntries ?? []).map((entry) => ({
        Id: entry.Id,
        Code: 'InvalidParameter',
        Message: 'bad attribute',
        SenderFault: true,
      })),
    }));

    await expect(createPublisher().publish(events(2))).rejects.toMatchObject({
      failures: [
        { eventId: 'event-0', code: 'InvalidParameter', message: 'bad attribute' },
        { eventId: 'event-1', code: 'InvalidParameter', message: 'bad attribute' },
      ],
    });
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
  });

  it('retries a whole call that SNS throttled', async () => {
    sns
      .on(PublishBatchCommand)
      .rejectsOnce(new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }))
      .callsFake(acceptAll);

    await createPublisher().publish(events(3));

    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);
    expect(eventIdsOf(sentEntries()[1] ?? [])).toEqual(['event-0', 'event-1', 'event-2']);
  });

  it('fails at once, keeping the cause, when SNS refuses the call for good', async () => {
    const denied = new AuthorizationErrorException({ message: 'not authorized to publish', $metadata: {} });
    sns.on(PublishBatchCommand).rejects(denied);

    const publishing = createPublisher().publish(events(2));

    await expect(publishing).rejects.toMatchObject({
      failures: [
        { eventId: 'event-0', code: 'AuthorizationErrorException' },
        { eventId: 'event-1', code: 'AuthorizationErrorException' },
      ],
      cause: denied,
    });
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
  });

  it('starts a new batch before the messages together would exceed the payload limit', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAll);
    const bulky = Array.from({ length: 5 }, (_, n) =>
      changeEvent(n, { project: { notes: 'x'.repeat(1_000) } }),
    );

    const oneMessageBytes = snsMessageSizeBytes(toSnsMessage(bulky[0] as ChangeEvent));

    await createPublisher(Math.floor(oneMessageBytes * 2.5)).publish(bulky);

    expect(sentEntries().map((entries) => entries.length)).toEqual([2, 2, 1]);
  });

  it('publishes a project carrying a 400 KB field within 256 KB, marked truncated, never dropping it', async () => {
    sns.on(PublishBatchCommand).callsFake(acceptAll);
    const huge = changeEvent(9, { project: { notes: 'x'.repeat(400 * 1024) } });

    await createPublisher().publish([changeEvent(1), huge]);

    const entries = sentEntries().flat();
    expect(entries).toHaveLength(2);
    const shrunk = entries.find((entry) => eventIdsOf([entry])[0] === 'event-9');
    expect(Buffer.byteLength(shrunk?.Message ?? '')).toBeLessThanOrEqual(256 * 1024);
    expect(JSON.parse(defaultBodyOf(shrunk?.Message ?? '')).data).toMatchObject({
      project: null,
      truncated: true,
    });
  });

  it('does not call SNS when there is nothing to publish', async () => {
    await createPublisher().publish([]);

    expect(sns).not.toHaveReceivedAnyCommand();
  });
});
