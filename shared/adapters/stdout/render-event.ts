/**
 * Renders a change event for a person reading a terminal: one header line, then one line per changed field.
 * Layer: adapter (presentation).
 *
 * Values come from the API, so every one is printed through `JSON.stringify` (which escapes control
 * characters) or stripped of them: a project name cannot move the cursor or recolour the terminal.
 */
import { type ChangeEvent, changeKindOf, type FieldChange } from '../../core/change-event.js';
import type { JsonValue } from '../../core/json.js';

export interface RenderOptions {
  /** Longest value shown before it is cut with `…`. @default 80 */
  readonly maxValueLength?: number;
  /** Field lines shown per event before `… and N more`. @default 20 */
  readonly maxFieldLines?: number;
}

const ABSENT = '(none)';

export function renderEventText(event: ChangeEvent, options: RenderOptions = {}): string {
  const maxValueLength = options.maxValueLength ?? 80;
  const maxFieldLines = options.maxFieldLines ?? 20;
  const { data } = event;
  const name = data.project?.name;
  const header = [
    changeKindOf(event),
    typeof name === 'string'
      ? JSON.stringify(shorten(withoutControlCharacters(name), maxValueLength))
      : undefined,
    `project ${withoutControlCharacters(data.projectId)}`,
    `process ${withoutControlCharacters(data.processId)}`,
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
    .map((token) => withoutControlCharacters(token.replaceAll('~1', '/').replaceAll('~0', '~')));
  return tokens.length === 0 ? '(whole project)' : tokens.join('.');
}

function renderValue(value: JsonValue | undefined, maxValueLength: number): string {
  return value === undefined ? ABSENT : shorten(JSON.stringify(value), maxValueLength);
}

function shorten(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(1, maxLength - 1))}…`;
}

function withoutControlCharacters(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}
