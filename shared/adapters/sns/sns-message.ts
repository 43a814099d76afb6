/**
 * How one change event becomes an SNS message: one body per protocol (`MessageStructure=json`) and
 * the attributes subscribers filter on.
 * Layer: adapter.
 *
 *  - `default`: the CloudEvents document, unchanged. SNS sends it to every protocol without a key of
 *    its own (SQS, Lambda, HTTP/S, email-json), so there are no `sqs`/`lambda`/`https` copies that
 *    would only triple the size.
 *  - `email`: readable plain text, with `Subject` as the email's subject line; left out when no email
 *    subscription reads it (`emailText: false`), so the topic's 256 KiB are the event's alone and the
 *    poller does not write a text per change that nobody receives.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { type ChangeEvent, changeKindOf } from '../../core/change-event.js';
import { eventJson } from '../../core/event-json.js';
import { renderEmail } from '../../notifications/email-message.js';
import { filterFieldsOf } from '../../notifications/filter-fields.js';
import { MESSAGE_ATTRIBUTES } from '../../notifications/message-attributes.js';
import { subjectLine } from '../../notifications/subject-line.js';

export interface SnsMessage {
  readonly Message: string;
  readonly MessageStructure: 'json';
  readonly Subject: string;
  readonly MessageAttributes: Record<string, MessageAttributeValue>;
}

/** The per-protocol bodies inside `Message`. */
export interface ProtocolMessages {
  readonly default: string;
  readonly email?: string;
}

export interface SnsMessageOptions {
  /** Write the readable text `email` subscriptions get. @default true */
  readonly emailText?: boolean;
}

/**
 * The message of `event` (as fitted to the transport). It depends on the event and the options alone,
 * so a replay of a recorded event sends exactly what was sent the first time.
 */
export function toSnsMessage(event: ChangeEvent, options: SnsMessageOptions = {}): SnsMessage {
  const email = options.emailText === false ? undefined : renderEmail(event);
  const bodies: ProtocolMessages = {
    default: eventJson(event),
    ...(email === undefined ? {} : { email: email.body }),
  };
  return {
    Message: JSON.stringify(bodies),
    MessageStructure: 'json',
    // Kept without the text: HTTP/S and SQS subscribers without raw delivery see it in the envelope.
    Subject: email?.subject ?? subjectLine(event),
    MessageAttributes: messageAttributes(event),
  };
}

function messageAttributes(event: ChangeEvent): Record<string, MessageAttributeValue> {
  return {
    [MESSAGE_ATTRIBUTES.eventType]: { DataType: 'String', StringValue: changeKindOf(event) },
    [MESSAGE_ATTRIBUTES.processId]: { DataType: 'String', StringValue: event.data.processId },
    [MESSAGE_ATTRIBUTES.changedFields]: {
      DataType: 'String.Array',
      StringValue: JSON.stringify(filterFieldsOf(event)),
    },
  };
}

/**
 * What a message counts against SNS's payload limit: the whole `Message` as sent (the JSON of every
 * protocol's body, escapes included), the Subject, and every attribute's name, type and value.
 */
export function snsMessageSizeBytes(message: SnsMessage): number {
  let bytes = Buffer.byteLength(message.Message, 'utf8') + Buffer.byteLength(message.Subject, 'utf8');
  for (const [name, value] of Object.entries(message.MessageAttributes)) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8');
    bytes += Buffer.byteLength(value.StringValue ?? '', 'utf8') + (value.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}

/** The `default` body of a sent `Message`: the CloudEvents document SQS, Lambda and HTTPS subscribers get. */
export function defaultBodyOf(message: string): string {
  const bodies: unknown = JSON.parse(message);
  if (typeof bodies !== 'object' || bodies === null || !('default' in bodies)) {
    throw new TypeError('SNS message: expected a MessageStructure=json body with a "default" key');
  }
  const body = bodies.default;
  if (typeof body !== 'string') throw new TypeError('SNS message: "default" must be a string');
  return body;
}
