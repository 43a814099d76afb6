/**
 * How one change event becomes an SNS message: one body per protocol (`MessageStructure=json`) and
 * the attributes subscribers filter on.
 * Layer: adapter.
 *
 *  - `default`: the CloudEvents document, unchanged. SNS sends it to every protocol without a key of
 *    its own (SQS, Lambda, HTTP/S, email-json), so there are no `sqs`/`lambda`/`https` copies that
 *    would only triple the size.
 *  - `email`: readable plain text, with `Subject` as the email's subject line.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { type ChangeEvent, changedFieldsOf, changeKindOf } from '../../core/change-event.js';
import { renderEmail } from '../../notifications/email-message.js';
import { MESSAGE_ATTRIBUTES } from '../../notifications/message-attributes.js';

export interface SnsMessage {
  readonly Message: string;
  readonly MessageStructure: 'json';
  readonly Subject: string;
  readonly MessageAttributes: Record<string, MessageAttributeValue>;
}

/** The per-protocol bodies inside `Message`. */
export interface ProtocolMessages {
  readonly default: string;
  readonly email: string;
}

/**
 * `event` is the document to send, possibly shrunk to fit; `display` the event as it was before,
 * from which the email is written. The email bounds its own size, so it can say what changed even
 * when the document had to lose its snapshot or shorten its values.
 */
export function toSnsMessage(event: ChangeEvent, display: ChangeEvent = event): SnsMessage {
  const email = renderEmail(display);
  const bodies: ProtocolMessages = { default: JSON.stringify(event), email: email.body };
  return {
    Message: JSON.stringify(bodies),
    MessageStructure: 'json',
    Subject: email.subject,
    MessageAttributes: messageAttributes(event),
  };
}

function messageAttributes(event: ChangeEvent): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    [MESSAGE_ATTRIBUTES.eventType]: { DataType: 'String', StringValue: changeKindOf(event) },
    [MESSAGE_ATTRIBUTES.processId]: { DataType: 'String', StringValue: event.data.processId },
  };
  // SNS wants every attribute value non-empty, and filter policies treat an empty list as absent
  // anyway: an event without field changes simply has no changedFields, which `{"exists": false}`
  // selects (see shared/notifications/filter-policy.ts).
  const changedFields = changedFieldsOf(event);
  if (changedFields.length > 0) {
    attributes[MESSAGE_ATTRIBUTES.changedFields] = {
      DataType: 'String.Array',
      StringValue: JSON.stringify(changedFields),
    };
  }
  return attributes;
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
