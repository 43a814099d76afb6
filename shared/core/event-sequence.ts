/**
 * The `sequence` of a project's events: 1 for its first event, one more for each later one, across
 * created → updated → deleted → created again. Written as 20 zero-padded digits (room for any
 * 64-bit count), so consumers compare sequences as plain strings.
 */
export const SEQUENCE_DIGITS = 20;

export function formatSequence(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`An event sequence is a whole number from 1, got ${sequence}`);
  }
  return String(sequence).padStart(SEQUENCE_DIGITS, '0');
}

export function parseSequence(text: string): number {
  const value = /^\d{20}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Not an event sequence (20 digits, from 1): ${JSON.stringify(text.slice(0, 40))}`);
  }
  return value;
}
