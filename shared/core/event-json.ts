/**
 * The JSON text of a change event, written once per event object: the SNS message carries it and the
 * event log records it, byte for byte the same. An event is never changed once built (its types are
 * readonly; fitting it to a transport builds a new one), so its text can stay with the object.
 * Layer: core.
 */
import type { ChangeEvent } from './change-event.js';

const texts = new WeakMap<ChangeEvent, string>();

export function eventJson(event: ChangeEvent): string {
  let text = texts.get(event);
  if (text === undefined) {
    text = JSON.stringify(event);
    texts.set(event, text);
  }
  return text;
}
