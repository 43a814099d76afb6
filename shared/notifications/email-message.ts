/**
 * The email rendering of a change event: a plain-text body a deal team reads at a glance, and its Subject.
 * No links and no markup: SNS sends email as plain text, and a body that never carries a URL cannot
 * be mistaken for phishing. Its size is bounded whatever the project's, so it always fits beside
 * the event in one SNS message.
 * Layer: notifications (pure).
 */
import type { ChangeEvent } from '../core/change-event.js';
import {
  type ChangeSummary,
  type FieldLine,
  headlineOf,
  omittedLinesText,
  summarizeChange,
} from './change-summary.js';
import { displayTime } from './display-text.js';
import { subjectLine } from './subject-line.js';

export interface EmailMessage {
  readonly subject: string;
  readonly body: string;
}

export const EMAIL_LIMITS = { maxLines: 40, maxValueLength: 120, maxNameLength: 200 } as const;

export function renderEmail(event: ChangeEvent): EmailMessage {
  const summary = summarizeChange(event, EMAIL_LIMITS);
  return { subject: subjectLine(event), body: emailBody(summary) };
}

function emailBody(summary: ChangeSummary): string {
  const sections = [headline(summary)];
  if (summary.lines.length > 0) sections.push(changeList(summary));
  if (summary.notes.length > 0) sections.push(summary.notes.join('\n'));
  sections.push(
    [
      `Process:  ${summary.processId}`,
      `Project:  ${summary.projectId}`,
      `When:     ${displayTime(summary.time)}`,
      `Event id: ${summary.eventId}`,
    ].join('\n'),
  );
  return `${sections.join('\n\n')}\n`;
}

function headline(summary: ChangeSummary): string {
  return headlineOf(summary, `Project "${summary.projectName}"`);
}

function changeList(summary: ChangeSummary): string {
  const title = summary.kind === 'created' ? 'Fields' : 'What changed';
  const lines = summary.lines.map((line) => `  ${emailChangeLine(line)}`);
  const omitted = omittedLinesText(summary);
  if (omitted !== undefined) lines.push(`  ${omitted}`);
  return [title, ...lines].join('\n');
}

export function emailChangeLine(line: FieldLine): string {
  return line.before === undefined
    ? `${line.field}: ${line.after}`
    : `${line.field}: ${line.before} → ${line.after}`;
}
