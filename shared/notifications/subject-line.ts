/**
 * The one-line summary of a change: the email Subject, and the text Slack shows in its notification,
 * e.g. `Midaxo: "Project Falcon" updated (stage, owner)`.
 * Layer: notifications (pure).
 *
 * SNS takes a Subject of fewer than 100 characters without line breaks or control characters, and
 * older SNS documentation also asked for ASCII: a Subject SNS refused would fail the publish of the
 * event itself, so the email Subject is folded to ASCII (`Société` → `Societe`); the body keeps the
 * name as it is.
 */
import { type ChangeEvent, changedFieldsOf, changeKindOf, projectNameOf } from '../core/change-event.js';
import { displayLine, ELLIPSIS, shorten } from './display-text.js';

/** SNS: "less than 100 characters". */
export const MAX_SUBJECT_LENGTH = 99;
const MAX_NAME_LENGTH = 50;
const PREFIX = 'Midaxo: ';
const ASCII_ELLIPSIS = '...';

export interface SubjectOptions {
  /** @default true */
  readonly asciiOnly?: boolean;
  /** @default MAX_SUBJECT_LENGTH */
  readonly maxLength?: number;
}

export function subjectLine(event: ChangeEvent, options: SubjectOptions = {}): string {
  const asciiOnly = options.asciiOnly ?? true;
  const maxLength = options.maxLength ?? MAX_SUBJECT_LENGTH;
  const ellipsis = asciiOnly ? ASCII_ELLIPSIS : ELLIPSIS;
  const clean = (text: string, max: number) => {
    const line = displayLine(text, max);
    return asciiOnly ? shorten(toAscii(line), max, ellipsis) : line;
  };
  const kind = changeKindOf(event);
  const name = nameOf(event, (text) => clean(text, MAX_NAME_LENGTH));
  const head = shorten(`${PREFIX}"${name}" ${kind}`, maxLength, ellipsis);
  const fields = kind === 'updated' ? changedFieldsOf(event).map((field) => clean(field, maxLength)) : [];
  return head + fieldList(fields, maxLength - head.length);
}

function nameOf(event: ChangeEvent, clean: (text: string) => string): string {
  const name = projectNameOf(event);
  const cleaned = name === undefined ? '' : clean(name);
  // A name that folded to nothing readable (e.g. all CJK) says less than the project id.
  return /[A-Za-z0-9]/.test(cleaned) ? cleaned : clean(event.data.projectId);
}

/** ` (stage, owner)`, or as many fields as fit followed by `+N more`, or just ` (N fields)`. */
export function fieldList(fields: readonly string[], room: number): string {
  // Each listed field takes at least three characters (", x"): no more than room / 3 can ever fit.
  for (let shown = Math.min(fields.length, Math.floor(room / 3)); shown > 0; shown--) {
    const rest = fields.length - shown;
    const listed = [...fields.slice(0, shown), ...(rest > 0 ? [`+${rest} more`] : [])].join(', ');
    const text = ` (${listed})`;
    if (text.length <= room) return text;
  }
  const count = ` (${fields.length} fields)`;
  return fields.length > 0 && count.length <= room ? count : '';
}

const ASCII_SPELLINGS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
};

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Accents dropped, a few letters spelled out, anything else outside printable ASCII as `?`. */
export function toAscii(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  let result = '';
  for (const char of text.normalize('NFKD')) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) result += char;
    else if (code >= 0x300 && code <= 0x36f) continue;
    else result += ASCII_SPELLINGS[char] ?? '?';
  }
  return result;
}
