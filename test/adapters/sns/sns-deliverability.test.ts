/**
 * Every event fits SNS's 256 KB, subject and attributes included, whatever the project looks like,
 * so no project can block its process: events come from the real core, go through the real publisher.
 */
import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSnsEventPublisher,
  SNS_DEFAULT_MAX_PAYLOAD_BYTES,
} from '../../../shared/adapters/sns/sns-event-publisher.js';
import { snsMessageSizeBytes, toSnsMessage } from '../../../shared/adapters/sns/sns-message.js';
import { contentHash } from '../../../shared/core/canonical-json.js';
import { detectChanges } from '../../../shared/core/detect-changes.js';
import type { JsonObject } from '../../../shared/core/json.js';
import type { StoredProject } from '../../../shared/core/ports.js';

const IGNORED = new Set(['updatedAt']);
const sns = mockClient(SNSClient);

afterEach(() => sns.reset());

function eventFor(before: JsonObject | undefined, after: JsonObject) {
  const stored = new Map<string, StoredProject>();
  if (before !== undefined) {
    stored.set('big', {
      projectId: 'big',
      hash: contentHash(before, IGNORED),
      snapshot: before,
      sequence: 7,
    });
  }
  const detected = detectChanges([{ id: 'big', body: after }], stored, {
    mode: 'incremental',
    publishBaseline: false,
    ignoredFields: IGNORED,
    sourceBase: 'https://api.app-eu.midaxo.com',
    processId: 'proc-1',
    detectedAt: new Date('2026-11-27T10:00:00Z'),
  });
  const [change] = detected.changes;
  if (change === undefined) throw new Error('no change detected');
  return change.event;
}

function fields(count: number, value: (n: number) => string): JsonObject {
  return Object.fromEntries(Array.from({ length: count }, (_, n) => [`field${n}`, value(n)]));
}

const CASES: [string, JsonObject | undefined, JsonObject][] = [
  [
    '12,000 changed top-level fields',
    { id: 'big', ...fields(12_000, () => 'a') },
    { id: 'big', ...fields(12_000, () => 'b') },
  ],
  [
    '12,000 nested changes',
    { id: 'big', nested: fields(12_000, () => 'a') },
    { id: 'big', nested: fields(12_000, (n) => `changed value ${n}`) },
  ],
  ['a new 500 KB snapshot', undefined, { id: 'big', name: 'Huge', notes: 'x'.repeat(500 * 1024) }],
  [
    'a 20,000-element array',
    { id: 'big', items: [] },
    { id: 'big', items: Array.from({ length: 20_000 }, (_, n) => ({ n, label: `item ${n}` })) },
  ],
  [
    'long non-ASCII text',
    { id: 'big', notes: '' },
    { id: 'big', name: '€'.repeat(70_000), notes: '🚀'.repeat(60_000) },
  ],
  [
    'a 100 KB field name',
    { id: 'big' },
    { id: 'big', ['k'.repeat(100 * 1024)]: 1, ['é'.repeat(60 * 1024)]: 2 },
  ],
];

describe('every event is deliverable', () => {
  it.each(CASES)(
    'fits %s into one SNS message and keeps what identifies the change',
    async (_, before, after) => {
      const sent: PublishBatchCommandInput[] = [];
      sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
        sent.push(input);
        return {
          Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({
            Id: entry.Id,
            MessageId: 'm',
          })),
        };
      });
      const publisher = createSnsEventPublisher({
        client: new SNSClient({ region: 'eu-west-1' }),
        topicArn: 'arn:aws:sns:eu-west-1:123456789012:changes',
      });
      const event = eventFor(before, after);

      const fitted = publisher.fitForTransport?.(event) ?? event;
      await publisher.publish([fitted]);

      const [entry] = sent[0]?.PublishBatchRequestEntries ?? [];
      const message = { ...toSnsMessage(fitted) };
      expect(entry).toMatchObject(message);
      expect(snsMessageSizeBytes(message)).toBeLessThanOrEqual(SNS_DEFAULT_MAX_PAYLOAD_BYTES);
      expect(fitted).toMatchObject({
        id: event.id,
        type: event.type,
        subject: 'big',
        sequence: event.sequence,
        data: { processId: 'proc-1', projectId: 'big', truncated: true },
      });
      expect(
        Buffer.byteLength(message.MessageAttributes.changedFields?.StringValue ?? ''),
      ).toBeLessThanOrEqual(4096);
      expect(message.Subject.length).toBeLessThan(100);
    },
  );

  it('says "*" in changedFields when the event could not keep its changes', () => {
    const publisher = createSnsEventPublisher({
      client: new SNSClient({ region: 'eu-west-1' }),
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:changes',
    });
    const [, before, after] = CASES[0] as (typeof CASES)[number];

    const fitted = publisher.fitForTransport?.(eventFor(before, after));

    expect(toSnsMessage(fitted ?? eventFor(before, after)).MessageAttributes.changedFields?.StringValue).toBe(
      '["*"]',
    );
  });
});
