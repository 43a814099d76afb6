/**
 * The one-line summary of a digest: the email Subject, and the text Slack shows in its notification,
 * e.g. `Midaxo: 12 deals changed (stage 8, owner 4)`, the fields by how many deals they changed on.
 * Within SNS's Subject limit and folded to ASCII by default, as a single event's subject line is.
 * Layer: notifications (pure).
 */
import type { ChangeDigest } from './change-digest.js';
import { counted, ELLIPSIS, shorten } from './display-text.js';
import { fieldList, MAX_SUBJECT_LENGTH, type SubjectOptions, toAscii } from './subject-line.js';

const ASCII_ELLIPSIS = '...';

export function digestSubjectLine(digest: ChangeDigest, options: SubjectOptions = {}): string {
  const asciiOnly = options.asciiOnly ?? true;
  const maxLength = options.maxLength ?? MAX_SUBJECT_LENGTH;
  const ellipsis = asciiOnly ? ASCII_ELLIPSIS : ELLIPSIS;
  const clean = (text: string) => (asciiOnly ? shorten(toAscii(text), maxLength, ellipsis) : text);
  const head = `Midaxo: ${counted(digest.deals, 'deal')} changed`;
  const fields = digest.fields.map(({ field, deals }) => `${clean(field)} ${deals}`);
  return head + fieldList(fields, maxLength - head.length);
}
