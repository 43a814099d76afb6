/**
 * The email rendering of several change events at once: one plain-text email, grouped by deal, in the
 * style of a single event's email (email-message.ts), with a Subject such as
 * `Midaxo: 12 deals changed (stage 8, owner 4)`. A single event keeps its own email.
 * Layer: notifications (pure).
 *
 * The body stays under MAX_BODY_BYTES (UTF-8) whatever the batch, well within what one SNS message
 * carries: deals are listed in the order of their first change until the next would not fit, then
 * "… and N more" gives the exact totals of what was left out.
 */
import type { ChangeEvent } from '../core/change-event.js';
import { type ChangeDigest, type DigestEntry, digestChanges, entriesByDeal } from './change-digest.js';
import { omittedLinesText } from './change-summary.js';
import { digestSubjectLine } from './digest-subject.js';
import { counted, displayTime } from './display-text.js';
import { type EmailMessage, emailChangeLine } from './email-message.js';

/** SNS takes 256 KiB per message; the rest is left for the Subject and attributes. */
export const MAX_BODY_BYTES = 200 * 1024;
export const EMAIL_DIGEST_LIMITS = { maxLines: 20, maxValueLength: 120, maxNameLength: 200 } as const;

export function renderEmailDigest(events: readonly ChangeEvent[]): EmailMessage {
  const digest = digestChanges(events, EMAIL_DIGEST_LIMITS);
  const head = [overview(digest)];
  if (digest.fields.length > 0) head.push(fieldCounts(digest));
  const deals = entriesByDeal(digest).map(dealSection);
  const tail = `Between ${displayTime(digest.from)} and ${displayTime(digest.to)}.`;

  const sections = [...head];
  let bytes = byteLength(`${[...head, tail].join('\n\n')}\n`) + MORE_LINE_BYTES;
  let listed = 0;
  for (const deal of deals) {
    bytes += byteLength(deal.text) + 2;
    if (bytes > MAX_BODY_BYTES) break;
    sections.push(deal.text);
    listed++;
  }
  const omitted = deals.slice(listed);
  if (omitted.length > 0) {
    const changes = omitted.reduce((sum, deal) => sum + deal.changes, 0);
    sections.push(
      `… and ${counted(omitted.length, 'more deal')} (${counted(changes, 'change')}) not listed here.`,
    );
  }
  sections.push(tail);
  return { subject: digestSubjectLine(digest), body: `${sections.join('\n\n')}\n` };
}

/** Room kept for the "… and N more" line. */
const MORE_LINE_BYTES = 120;

function overview(digest: ChangeDigest): string {
  const kinds = (['created', 'updated', 'deleted'] as const)
    .filter((kind) => digest.dealsByKind[kind] > 0)
    .map((kind) => `${digest.dealsByKind[kind]} ${kind}`);
  return `${counted(digest.changes, 'change')} to ${counted(digest.deals, 'deal')} in Midaxo: ${kinds.join(', ')}.`;
}

function fieldCounts(digest: ChangeDigest): string {
  return [
    'Fields changed',
    ...digest.fields.map(({ field, deals }) => `  ${field}: ${counted(deals, 'deal')}`),
  ].join('\n');
}

/** One deal: its name and ids, then each change in time order with what changed. */
function dealSection(entries: readonly DigestEntry[]): { text: string; changes: number } {
  const first = entries[0]?.summary;
  if (first === undefined) throw new RangeError('dealSection: a deal without changes');
  const lines = [`Project "${first.projectName}" (process ${first.processId}, project ${first.projectId})`];
  for (const { summary } of entries) {
    lines.push(`  ${displayTime(summary.time)}: ${summary.kind}`);
    lines.push(...summary.lines.map((line) => `    ${emailChangeLine(line)}`));
    const omitted = omittedLinesText(summary);
    if (omitted !== undefined) lines.push(`    ${omitted}`);
    lines.push(...summary.notes.map((note) => `    ${note}`));
  }
  return { text: lines.join('\n'), changes: entries.length };
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
