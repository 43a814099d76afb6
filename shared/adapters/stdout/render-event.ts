/**
 * Renders a change event for a person reading a terminal: one header line, then one line per changed field.
 * Layer: adapter (presentation).
 *
 * Values come from the API, so every one is printed through `JSON.stringify` (which escapes control
 * characters) or stripped of them, and of bidirectional overrides: a project name cannot move the
 * cursor, recolour the terminal or make text read in another order. Text is shortened before it is
 * cleaned (cleaning only removes characters), so a huge value costs no more than a short one.
 */
import { type ChangeEvent, changeKindOf, type FieldChange } from '../../core/change-event.js';
import type { JsonValue } from '../../core/json.js';
import { shorten } from '../../notifications/display-text.js';

export interface RenderOptions {
  /** Longest value shown before it is cut with `…`. @default 80 */
  readonly maxValueLength?: number;
  /** Field lines shown per event before `… and N more`. @default 20 */
  readonly maxFieldLines?: number;
}

const ABSENT = '(none)';
/** Longest id or path segment shown; ids are bounded by the API, but nothing here trusts that. */
const MAX_ID_LENGTH = 200;

export function renderEventText(event: ChangeEvent, options: RenderOptions = {}): string {
  const maxValueLength = options.maxValueLength ?? 80;
  const maxFieldLines = options.maxFieldLines ?? 20;
  const { data } = event;
  const name = data.project?.name;
  const header = [
    changeKindOf(event),
    typeof name === 'string' ? JSON.stringify(cleanText(name, maxValueLength)) : undefined,
    `project ${cleanText(data.projectId, MAX_ID_LENGTH)}`,
    `process ${cleanText(data.processId, MAX_ID_LENGTH)}`,
    `id ${event.id}`,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');

  const lines = [header];
  if (data.diffUnavailable) lines.push('  (no earlier snapshot was kept, so the changed fields are unknown)');
  for (const change of data.changes.slice(0, maxFieldLines))
    lines.push(`  ${renderChange(change, maxValueLength)}`);
  if (data.changes.length > maxFieldLines) lines.push(`  … and ${data.changes.length - maxFieldLines} more`);
  return `${lines.join('\n')}\n`;
}

function renderChange(change: FieldChange, maxValueLength: number): string {
  return `${readablePath(change.path)}: ${renderValue(change.before, maxValueLength)} → ${renderValue(change.after, maxValueLength)}`;
}

/** `/dealValue/amount` reads as `dealValue.amount`; the pointer's escapes are undone. */
export function readablePath(pointer: string): string {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((token) => cleanText(token.replaceAll('~1', '/').replaceAll('~0', '~'), MAX_ID_LENGTH));
  return tokens.length === 0 ? '(whole project)' : tokens.join('.');
}

function renderValue(value: JsonValue | undefined, maxValueLength: number): string {
  return value === undefined ? ABSENT : cleanText(JSON.stringify(value), maxValueLength);
}

function cleanText(text: string, maxLength: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return shorten(text, maxLength).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}
