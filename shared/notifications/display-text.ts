/**
 * How project data reads in a notification a person sees: one line, bounded, without control characters
 * or invisible formatting (support/invisible-characters.ts). Values come from the Midaxo API, so nothing in them may add a line, a bell,
 * an escape sequence, or make text read in another order than it is stored ("Trojan Source").
 * Layer: notifications (pure).
 *
 * Lengths are counted in UTF-16 code units, as Slack and SNS count them, and a cut never splits a
 * surrogate pair. Text is cut to a bounded head before it is cleaned, so a 5 MB field costs no more
 * than a short one.
 */
import type { JsonValue } from '../core/json.js';
import { withoutInvisibleCharacters } from '../support/invisible-characters.js';

export const ELLIPSIS = '…';

/** Line breaks, tabs, other C0/C1 controls and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
/** Anything `oneLine` would change: a break, an invisible character, a run of spaces, an untrimmed end. */
const NOT_ONE_LINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]| {2}|^\s|\s$/u;
/**
 * How much of a text is looked at per character shown: collapsing runs of spaces and dropping controls
 * can only shrink text, so a head this long still fills the limit unless the text is mostly blanks.
 */
const HEAD_PER_CHARACTER = 4;
const HEAD_EXTRA = 64;

/** Collapses line breaks, tabs and other control or separator characters into single spaces. */
export function oneLine(text: string): string {
  if (!NOT_ONE_LINE.test(text)) return text;
  return withoutInvisibleCharacters(text).replace(BREAKING, ' ').replace(/ {2,}/g, ' ').trim();
}

/** At most `max` code units, ending in `ellipsis` when cut. */
export function shorten(text: string, max: number, ellipsis = ELLIPSIS): string {
  return text.length <= max ? text : cut(text, max, ellipsis);
}

/** `text` on one line within `max` code units; only its head is cleaned, however long it is. */
export function displayLine(text: string, max: number): string {
  const headLength = max * HEAD_PER_CHARACTER + HEAD_EXTRA;
  if (text.length <= headLength) return shorten(oneLine(text), max);
  return cut(oneLine(headOf(text, headLength)), max, ELLIPSIS);
}

/** The first `max - ellipsis.length` code units (never half a surrogate pair), then the ellipsis. */
function cut(text: string, max: number, ellipsis: string): string {
  return `${headOf(text, max - ellipsis.length)}${ellipsis}`;
}

function headOf(text: string, units: number): string {
  let end = Math.max(0, Math.min(units, text.length));
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** `/owner/name` reads as `owner › name`; the pointer's `~1` and `~0` escapes are undone. */
export function readablePath(pointer: string, max = 120): string {
  const tokens = pointer.split('/').slice(1);
  if (tokens.length === 0) return '(whole project)';
  const readable = tokens.map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~')).join(' › ');
  return displayLine(readable, max);
}

export const NOT_SET = '(not set)';
export const EMPTY = '(empty)';

/**
 * A value as a person would say it: text as is, a list of plain values comma-separated, an object
 * with a `name` (an owner, a stage) by that name, anything else as compact JSON; shortened to `max`.
 */
export function displayValue(value: JsonValue | undefined, max: number): string {
  return displayLine(describe(value), max);
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return NOT_SET;
  if (value === null) return EMPTY;
  if (typeof value === 'string') return /\S/.test(value) ? value : EMPTY;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY;
    const plain = value.every((item) => item === null || typeof item !== 'object');
    return plain ? value.map((item) => describe(item)).join(', ') : JSON.stringify(value);
  }
  return typeof value.name === 'string' && /\S/.test(value.name) ? value.name : JSON.stringify(value);
}

/** `1 deal`, `12 deals`: a count with its noun. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `2024-05-01T10:00:00.000Z` reads as `2024-05-01 10:00 UTC`; text that is no instant is shown as is. */
export function displayTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return displayLine(iso, 64);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
