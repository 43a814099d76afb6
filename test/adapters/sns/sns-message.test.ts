import {
  PublishBatchCommand,
  type PublishBatchCommandInput,
  type PublishBatchRequestEntry,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createSnsEventPublisher,
  SNS_DEFAULT_MAX_PAYLOAD_BYTES,
} from '../../../shared/adapters/sns/sns-event-publisher.js';
import {
  defaultBodyOf,
  snsMessageSizeBytes,
  toSnsMessage,
} from '../../../shared/adapters/sns/sns-message.js';
import type { ChangeEvent } from '../../../shared/core/change-event.js';
import { renderEmail } from '../../../shared/notifications/email-message.js';
import { changeEventOf, FALCON } from '../../notifications/sample-events.js';

const sns = mockClient(SNSClient);

beforeEach(() => sns.reset());

function bodiesOf(message: string): Record<string, string> {
  return JSON.parse(message) as Record<string, string>;
}

/** The size SNS counts, worked out from what is actually sent rather than with the code under test. */
function sentBytes(entry: PublishBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.Message ?? '') + Buffer.byteLength(entry.Subject ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

async function publishAndCapture(event: ChangeEvent, emailText = true): Promise<PublishBatchRequestEntry> {
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
  }));
  const client = new SNSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const topicArn = 'arn:aws:sns:eu-west-1:123456789012:changes';
  await createSnsEventPublisher({ client, topicArn, emailText }).publish([event]);
  const [entry] = sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
  if (entry === undefined) throw new Error('nothing was published');
  return entry;
}

describe('toSnsMessage', () => {
  it('sends the CloudEvents document unchanged as the default body every other protocol falls back to', () => {
    const event = changeEventOf('updated');

    const message = toSnsMessage(event);

    expect(message.MessageStructure).toBe('json');
    expect(Object.keys(bodiesOf(message.Message)).sort()).toEqual(['default', 'email']);
    expect(JSON.parse(defaultBodyOf(message.Message))).toEqual(event);
  });

  it('gives email subscribers readable text and a subject line', () => {
    const event = changeEventOf('updated');

    const message = toSnsMessage(event);

    expect(bodiesOf(message.Message).email).toBe(renderEmail(event).body);
    expect(message.Subject).toBe('Midaxo: "Project Falcon" updated (owner, stage)');
  });

  it('leaves the email text out when no email subscription reads it, keeping the subject for SNS envelopes', () => {
    const event = changeEventOf('updated');

    const withText = toSnsMessage(event);
    const withoutText = toSnsMessage(event, { emailText: false });

    expect(Object.keys(bodiesOf(withoutText.Message))).toEqual(['default']);
    expect(JSON.parse(defaultBodyOf(withoutText.Message))).toEqual(event);
    expect(withoutText.Subject).toBe(withText.Subject);
    expect(withoutText.MessageAttributes).toEqual(withText.MessageAttributes);
    expect(snsMessageSizeBytes(withText) - snsMessageSizeBytes(withoutText)).toBeGreaterThan(
      Buffer.byteLength(JSON.stringify(renderEmail(event).body)),
    );
    expect(toSnsMessage(event, { emailText: false })).toEqual(withoutText);
  });

  it('writes the email from the event alone, so a replayed event is sent exactly as the first time', () => {
    const full = changeEventOf('updated');
    const shrunk: ChangeEvent = { ...full, data: { ...full.data, project: null, truncated: true } };

    expect(toSnsMessage(shrunk)).toEqual(toSnsMessage(structuredClone(shrunk)));
    expect(toSnsMessage(shrunk).Subject).toContain('prj-000001');
    expect(JSON.parse(defaultBodyOf(toSnsMessage(shrunk).Message)).data.project).toBeNull();
  });

  it('sets the filter attributes: event type, process and changed top-level fields', () => {
    expect(toSnsMessage(changeEventOf('updated')).MessageAttributes).toEqual({
      eventType: { DataType: 'String', StringValue: 'updated' },
      processId: { DataType: 'String', StringValue: 'proc-emea' },
      changedFields: { DataType: 'String.Array', StringValue: '["owner","stage"]' },
    });
    expect(toSnsMessage(changeEventOf('deleted')).MessageAttributes.changedFields).toEqual({
      DataType: 'String.Array',
      StringValue: JSON.stringify(Object.keys(changeEventOf('deleted').data.project ?? {}).sort()),
    });
  });

  it('counts the whole message as sent: every body with its escapes, the subject and the attributes', () => {
    const event = changeEventOf('updated', { changes: [{ path: '/notes', before: '"a"\\', after: '"b"' }] });
    const message = toSnsMessage(event);

    expect(snsMessageSizeBytes(message)).toBe(sentBytes({ Id: 'x', ...message }));
    expect(snsMessageSizeBytes(message)).toBeGreaterThan(
      Buffer.byteLength(JSON.stringify(event)) + Buffer.byteLength(bodiesOf(message.Message).email ?? ''),
    );
  });

  it('rejects reading a default body from a message without one', () => {
    expect(() => defaultBodyOf('{"email":"hi"}')).toThrow(/"default" key/);
  });
});

describe('publishing per-protocol messages within SNS’s 256 KB', () => {
  it('publishes a project carrying a 400 KB field, marked truncated, with an email that still says what changed', async () => {
    const notes = 'Investment memo. '.repeat(25_000);
    const event = changeEventOf('updated', {
      project: { ...FALCON, notes },
      changes: [
        { path: '/notes', before: 'Draft', after: notes },
        { path: '/stage', before: 'Screening', after: 'Due Diligence' },
      ],
    });

    const entry = await publishAndCapture(event);

    expect(sentBytes(entry)).toBeLessThanOrEqual(SNS_DEFAULT_MAX_PAYLOAD_BYTES);
    expect(entry.MessageStructure).toBe('json');
    const sent = JSON.parse(defaultBodyOf(entry.Message ?? '')) as ChangeEvent;
    expect(sent).toMatchObject({ id: event.id, data: { project: null, truncated: true } });
    expect(sent.data.changes[1]).toEqual({ path: '/stage', before: 'Screening', after: 'Due Diligence' });
    const email = bodiesOf(entry.Message ?? '').email ?? '';
    expect(email).toContain('  stage: Screening → Due Diligence\n');
    expect(email).toMatch(/ {2}notes: Draft → Investment memo\. .*…\n/);
    // The message is written from the event as sent, which dropped the snapshot but kept the name.
    expect(sent.data.projectName).toBe('Project Falcon');
    expect(entry.Subject).toBe('Midaxo: "Project Falcon" updated (notes, stage)');
    expect(email).toContain('Project "Project Falcon" was updated.');
    expect(email).toContain('The event log keeps the event as sent');
  });

  it('without the email text, sends whole an event that beside the text would have lost its snapshot', async () => {
    const withNotes = (length: number) =>
      changeEventOf('updated', {
        project: { ...FALCON, notes: 'n'.repeat(length) },
        changes: [{ path: '/notes', before: 'Draft', after: 'n'.repeat(length) }],
      });
    const fitsWithoutText = (length: number) =>
      snsMessageSizeBytes(toSnsMessage(withNotes(length), { emailText: false })) <=
      SNS_DEFAULT_MAX_PAYLOAD_BYTES;
    let [low, high] = [0, SNS_DEFAULT_MAX_PAYLOAD_BYTES];
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (fitsWithoutText(middle)) low = middle;
      else high = middle;
    }
    const event = withNotes(low);

    const withText = JSON.parse(defaultBodyOf((await publishAndCapture(event)).Message ?? '')) as ChangeEvent;
    sns.reset();
    const withoutText = await publishAndCapture(event, false);

    expect(withText.data.truncated).toBe(true);
    expect(JSON.parse(defaultBodyOf(withoutText.Message ?? ''))).toEqual(event);
    expect(Object.keys(bodiesOf(withoutText.Message ?? ''))).toEqual(['default']);
    expect(sentBytes(withoutText)).toBeLessThanOrEqual(SNS_DEFAULT_MAX_PAYLOAD_BYTES);
  });

  it('fits a value made of characters JSON must escape, which grow fourfold inside the message', async () => {
    const quotes = '"'.repeat(120 * 1024);
    const event = changeEventOf('updated', { changes: [{ path: '/notes', before: '', after: quotes }] });

    const entry = await publishAndCapture(event);

    expect(sentBytes(entry)).toBeLessThanOrEqual(SNS_DEFAULT_MAX_PAYLOAD_BYTES);
    expect(JSON.parse(defaultBodyOf(entry.Message ?? '')).data.truncated).toBe(true);
  });
});
