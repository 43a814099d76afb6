/**
 * How one change event becomes an SNS message: the CloudEvents document as the body, and the
 * attributes subscribers filter on. The one place to change when messages become per-protocol
 * (`MessageStructure=json`, the document under `default`).
 * Layer: adapter.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { type ChangeEvent, changedFieldsOf, changeKindOf } from '../../core/change-event.js';

export interface SnsMessage {
  readonly Message: string;
  readonly MessageAttributes: Record<string, MessageAttributeValue>;
}

export function toSnsMessage(event: ChangeEvent): SnsMessage {
  const attributes: Record<string, MessageAttributeValue> = {
    eventType: { DataType: 'String', StringValue: changeKindOf(event) },
    processId: { DataType: 'String', StringValue: event.data.processId },
  };
  // SNS wants every attribute value non-empty, and filter policies treat an empty list as absent
  // anyway (`exists: true` needs a non-empty value): an event without field changes simply has no
  // changedFields, which `{"exists": false}` can select.
  const changedFields = changedFieldsOf(event);
  if (changedFields.length > 0) {
    attributes.changedFields = { DataType: 'String.Array', StringValue: JSON.stringify(changedFields) };
  }
  return { Message: JSON.stringify(event), MessageAttributes: attributes };
}

/** What a message counts against SNS's payload limit: the body plus every attribute's name, type and value. */
export function snsMessageSizeBytes(message: SnsMessage): number {
  let bytes = Buffer.byteLength(message.Message, 'utf8');
  for (const [name, value] of Object.entries(message.MessageAttributes)) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8');
    bytes += Buffer.byteLength(value.StringValue ?? '', 'utf8') + (value.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}
