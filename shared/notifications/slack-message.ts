/**
 * The Slack rendering of a change event, in Block Kit: a header with the project, the changed fields
 * as before → after, and a context line with process, project, time and event id.
 * Layer: notifications (pure).
 *
 * Slack refuses a whole message that breaks one of its limits (50 blocks, 3000 characters per text,
 * 150 per header, counted in UTF-16 code units), so every value is bounded before it is escaped, and
 * long change lists are cut with "… and N more".
 *
 * Data never acts as markup: `&`, `<` and `>` are escaped, every text is `verbatim`, and Slack's
 * formatting characters in data (`*`, `_`, `~`, backtick) are swapped for look-alikes that format nothing.
 */
import type { ChangeEvent } from '../core/change-event.js';
import {
  type ChangeSummary,
  type FieldLine,
  headlineOf,
  omittedLinesText,
  summarizeChange,
} from './change-summary.js';
import { shorten } from './display-text.js';
import { subjectLine } from './subject-line.js';

export type SlackText =
  | { readonly type: 'plain_text'; readonly text: string; readonly emoji: false }
  /** `verbatim`: Slack turns no URL, channel or user name in the text into a link or a mention. */
  | { readonly type: 'mrkdwn'; readonly text: string; readonly verbatim?: boolean };

export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text: SlackText }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] };

/** The body of an incoming-webhook POST; `text` is what notifications and screen readers show. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export const SLACK_LIMITS = {
  maxBlocks: 50,
  maxTextLength: 3000,
  maxHeaderLength: 150,
  maxContextElements: 10,
} as const;

/**
 * Chosen so that one change line stays under 3000 characters even if every character had to be
 * escaped as `&amp;` (5 characters), and 30 lines leave room for the other blocks within 50.
 */
const SUMMARY_LIMITS = { maxLines: 30, maxValueLength: 200, maxNameLength: 100 } as const;

const KIND_LABELS = { created: 'Created', updated: 'Updated', deleted: 'Deleted' } as const;

export function renderSlackMessage(event: ChangeEvent): SlackMessage {
  const summary = summarizeChange(event, SUMMARY_LIMITS);
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: shorten(`${KIND_LABELS[summary.kind]}: ${summary.projectName}`, SLACK_LIMITS.maxHeaderLength),
        emoji: false,
      },
    },
    section(headline(summary)),
    ...changeSections(summary),
  ];
  const omitted = omittedLinesText(summary);
  if (omitted !== undefined) blocks.push(context([omitted]));
  if (summary.notes.length > 0) blocks.push(context(summary.notes.map(escapeMrkdwn)));
  blocks.push(context(detailsOf(summary)));
  const text = escapeMrkdwn(subjectLine(event, { asciiOnly: false, maxLength: SLACK_LIMITS.maxTextLength }));
  return { text, blocks };
}

function headline(summary: ChangeSummary): string {
  return headlineOf(summary, `*${escapeMrkdwn(summary.projectName)}*`);
}

/** One line per change, packed into as few sections as the 3000-character limit allows. */
function changeSections(summary: ChangeSummary): SlackBlock[] {
  return packedSections(summary.lines.map(changeLine));
}

/** Lines packed into as few sections as the 3000-character limit allows; each line must fit one. */
export function packedSections(lines: readonly string[]): SlackBlock[] {
  const sections: SlackBlock[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + 1 + line.length > SLACK_LIMITS.maxTextLength) {
      sections.push(section(current));
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') sections.push(section(current));
  return sections;
}

function changeLine(line: FieldLine): string {
  const field = `• *${escapeMrkdwn(line.field)}*: `;
  return line.before === undefined
    ? `${field}${escapeMrkdwn(line.after)}`
    : `${field}${escapeMrkdwn(line.before)} → ${escapeMrkdwn(line.after)}`;
}

function detailsOf(summary: ChangeSummary): string[] {
  return [
    `Process ${codeSpan(summary.processId)}`,
    `Project ${codeSpan(summary.projectId)}`,
    slackDate(summary.time),
    `Event ${codeSpan(summary.eventId)}`,
  ];
}

/** Shown in each reader's own time zone; the ISO text is the fallback for clients that cannot. */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${new Date(ms).toISOString()}>`;
}

export function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function context(texts: readonly string[]): SlackBlock {
  return { type: 'context', elements: texts.map(mrkdwn) };
}

function mrkdwn(text: string): SlackText {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** Look-alikes of Slack's formatting characters, so data can neither open nor close bold, italics, strike or code. */
const FORMATTING_LOOK_ALIKES: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02cd', // ˍ modifier letter low macron
  '~': '\u223c', // ∼ tilde operator
  '`': '\u02cb', // ˋ modifier letter grave accent
};

/**
 * Text from data, made inert for mrkdwn: Slack's three control characters are escaped, so a value cannot
 * mention `<!channel>` or link somewhere, and its formatting characters are swapped for look-alikes.
 */
export function escapeMrkdwn(text: string): string {
  return escapeControls(text).replace(/[*_~`]/g, (char) => FORMATTING_LOOK_ALIKES[char] ?? char);
}

/** Data shown as inline code: inside it only a backtick would end the span early. */
function codeSpan(text: string): string {
  return `\`${escapeControls(text).replaceAll('`', FORMATTING_LOOK_ALIKES['`'] ?? "'")}\``;
}

function escapeControls(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
