/**
 * DynamoDB's own measure of an item: UTF-8 bytes of every attribute name plus its value.
 * Layer: adapter. Covers the scalar types the state table stores; numbers are counted by their
 * decimal text, an upper bound of DynamoDB's packed encoding.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export function itemSizeBytes(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name, 'utf8') + valueSizeBytes(name, value);
  }
  return bytes;
}

function valueSizeBytes(name: string, value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return Buffer.byteLength(value.N, 'utf8');
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  throw new TypeError(`Cannot size attribute "${name}": only S, N, BOOL and NULL values are supported`);
}
