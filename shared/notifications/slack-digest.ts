/**
 * The Slack rendering of several change events at once, one Block Kit message: how many deals were
 * created, updated and deleted, which fields changed on how many deals, then the changes in time
 * order, as many as Slack's limits allow, then "… and N more" with the exact totals.
 * A single event is rendered by slack-message.ts, as it always was.
 * Layer: notifications (pure).
 *
 * Limits (slack-message.ts's SLACK_LIMITS): at most 50 blocks, 3000 characters per section, 150 per
 * header. Each listed change is one line bounded so that even fully escaped (`&amp;` is 5 characters
 * for 1) it fits a section; lines are packed into sections; at most MAX_LISTED lines leave room for the
 * five other blocks. Text from data is escaped as in a single message (`escapeMrkdwn`).
 */
import type { ChangeEvent } from '../core/change-event.js';
import { type ChangeDigest, type DigestEntry, digestChanges } from './change-digest.js';
import { digestSubjectLine } from './digest-subject.js';
import { counted, shorten } from './display-text.js';
import {
  context,
  escapeMrkdwn,
  packedSections,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
  section,
  slackDate,
} from './slack-message.js';

/** Changes listed by name; the rest are counted. */
export const MAX_LISTED = 40;
/** Fields named in the field counts; the rest are counted. */
const MAX_LISTED_FIELDS = 15;
/**
 * Per change: name 80 + 3 × (field 40 + before 60 + after 60) plus punctuation is under 600
 * characters, under 3000 even if every one were escaped to 5.
 */
export const SLACK_DIGEST_LIMITS = { maxLines: 3, maxValueLength: 60, maxNameLength: 80 } as const;
const FIELD_LENGTH = 40;

const VERBS = { created: 'created', updated: 'updated', deleted: 'deleted' } as const;

export function renderSlackDigest(events: readonly ChangeEvent[]): SlackMessage {
  const digest = digestChanges(events, SLACK_DIGEST_LIMITS);
  const listed = digest.entries.slice(0, MAX_LISTED);
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: shorten(`Midaxo: ${counted(digest.deals, 'deal')} changed`, SLACK_LIMITS.maxHeaderLength),
        emoji: false,
      },
    },
    section(overview(digest)),
  ];
  if (digest.fields.length > 0) blocks.push(section(fieldCounts(digest)));
  blocks.push(...packedSections(listed.map(changeLine)));
  const omitted = digest.entries.slice(MAX_LISTED);
  if (omitted.length > 0) blocks.push(context([moreLine(omitted, digest)]));
  blocks.push(context([`From ${slackDate(digest.from)} to ${slackDate(digest.to)}`]));
  const text = escapeMrkdwn(
    digestSubjectLine(digest, { asciiOnly: false, maxLength: SLACK_LIMITS.maxTextLength }),
  );
  return { text, blocks };
}

function overview(digest: ChangeDigest): string {
  const kinds = (['created', 'updated', 'deleted'] as const)
    .filter((kind) => digest.dealsByKind[kind] > 0)
    .map((kind) => `*${digest.dealsByKind[kind]}* ${VERBS[kind]}`);
  return `${counted(digest.changes, 'change')} to ${counted(digest.deals, 'deal')}: ${kinds.join(', ')}`;
}

function fieldCounts(digest: ChangeDigest): string {
  const shown = digest.fields
    .slice(0, MAX_LISTED_FIELDS)
    .map(({ field, deals }) => `${escapeMrkdwn(shorten(field, FIELD_LENGTH))}: ${counted(deals, 'deal')}`);
  const rest = digest.fields.length - MAX_LISTED_FIELDS;
  if (rest > 0) shown.push(`… and ${counted(rest, 'more field')}`);
  return `*Fields changed:* ${shown.join(' · ')}`;
}

function changeLine({ summary }: DigestEntry): string {
  const head = `• *${escapeMrkdwn(summary.projectName)}* ${VERBS[summary.kind]}`;
  if (summary.kind !== 'updated' || summary.lines.length === 0) return head;
  const changes = summary.lines.map((line) => {
    const field = escapeMrkdwn(shorten(line.field, FIELD_LENGTH));
    return `${field}: ${escapeMrkdwn(line.before ?? '')} → ${escapeMrkdwn(line.after)}`;
  });
  const more = summary.omittedLines > 0 ? `; +${summary.omittedLines} more` : '';
  return `${head}: ${changes.join('; ')}${more}`;
}

function moreLine(omitted: readonly DigestEntry[], digest: ChangeDigest): string {
  const deals = new Set(omitted.map((entry) => entry.dealKey)).size;
  return (
    `… and ${counted(omitted.length, 'more change')} to ${counted(deals, 'deal')} not listed here ` +
    `(${counted(digest.changes, 'change')} to ${counted(digest.deals, 'deal')} in all)`
  );
}
