/**
 * How project data reads in a notification a person sees: one line, bounded, without control characters.
 * Values come from the Midaxo API, so nothing in them may add a line, a bell or an escape sequence.
 * Layer: notifications (pure).
 */
import type { JsonValue } from '../core/json.js';

const ELLIPSIS = '…';

/** Collapses line breaks, tabs and other control or separator characters into single spaces. */
export function oneLine(text: string): string {
  let result = '';
  for (const char of text) result += isControlOrSeparator(char) ? ' ' : char;
  return result.replace(/ {2,}/g, ' ').trim();
}

function isControlOrSeparator(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** At most `max` characters (code points, never half a surrogate pair), ending in `…` when cut. */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}${ELLIPSIS}`;
}

/** `/owner/name` reads as `owner › name`; the pointer's `~1` and `~0` escapes are undone. */
export function readablePath(pointer: string, max = 120): string {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((token) => oneLine(token.replaceAll('~1', '/').replaceAll('~0', '~')));
  return tokens.length === 0 ? '(whole project)' : shorten(tokens.join(' › '), max);
}

export const NOT_SET = '(not set)';
export const EMPTY = '(empty)';

/**
 * A value as a person would say it: text as is, a list of plain values comma-separated, an object
 * with a `name` (an owner, a stage) by that name, anything else as compact JSON; shortened to `max`.
 */
export function displayValue(value: JsonValue | undefined, max: number): string {
  return shorten(oneLine(describe(value)), max);
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return NOT_SET;
  if (value === null) return EMPTY;
  if (typeof value === 'string') return value.trim() === '' ? EMPTY : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY;
    const plain = value.every((item) => item === null || typeof item !== 'object');
    return plain ? value.map((item) => describe(item)).join(', ') : JSON.stringify(value);
  }
  return typeof value.name === 'string' && value.name.trim() !== '' ? value.name : JSON.stringify(value);
}

/** `2024-05-01T10:00:00.000Z` reads as `2024-05-01 10:00 UTC`; text that is no instant is shown as is. */
export function displayTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return oneLine(iso);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
